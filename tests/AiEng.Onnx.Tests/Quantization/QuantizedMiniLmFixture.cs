using AiEng.Onnx.Quantization;

namespace AiEng.Onnx.Tests.Quantization;

/// <summary>Quantizes the embedded MiniLM once per test class into a temporary folder, deleted on dispose.</summary>
public sealed class QuantizedMiniLmFixture : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aieng-quant-").FullName;

    public QuantizedMiniLmFixture()
    {
        Result = OnnxQuantizer.QuantizeEmbeddedModelAsync(Path.Combine(_root, "all-MiniLM-L6-v2-int8")).GetAwaiter().GetResult();
    }

    public OnnxQuantizationResult Result { get; }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
