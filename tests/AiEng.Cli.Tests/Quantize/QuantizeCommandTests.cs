using System.Text.Json;
using AiEng.Cli.Tests.TestSupport;
using AiEng.Onnx.Tests.Quantization;

namespace AiEng.Cli.Tests.Quantize;

public class QuantizeCommandTests : IClassFixture<ToolFixture>
{
    private static readonly float[,] Weight = { { 0.5f, -1f, 0.25f, 2f }, { 1.5f, 0.75f, -0.5f, 1f }, { -2f, 0.1f, 0.3f, -0.7f } };

    private readonly InstalledTool _tool;

    public QuantizeCommandTests(ToolFixture fixture) => _tool = fixture.Tool;

    [Fact]
    public async Task Quantize_writes_an_int8_model_that_still_runs()
    {
        using var work = new WorkDirectory();
        TinyOnnxModels.Write(TinyOnnxModels.MatMul(Weight), work.Path, "model.onnx");

        CliRun run = await _tool.RunAsync(work.Path, "quantize", "model.onnx", "--out", "int8/model.onnx", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement json = run.Json();
        Assert.Equal(work.File("int8/model.onnx"), json.GetProperty("model").GetString());
        Assert.Single(json.GetProperty("quantizedNodes").EnumerateArray());
        float[] output = TinyOnnxModels.Run(work.File("int8/model.onnx"), ("X", [1f, 0f, 0f, 0f, 1f, 0f], [2, 3]));
        Assert.Equal(0.5f, output[0], 0.05f);
        Assert.Equal(1.5f, output[4], 0.05f);
    }

    [Fact]
    public async Task Quantize_of_a_file_that_is_not_onnx_is_bad_input_naming_it()
    {
        using var work = new WorkDirectory();
        string path = work.Write("model.onnx", "not a model");

        CliRun run = await _tool.RunAsync(work.Path, "quantize", "model.onnx", "--out", "int8.onnx");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(path, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(File.Exists(work.File("int8.onnx")));
    }
}
