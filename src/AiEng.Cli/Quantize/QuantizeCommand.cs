using System.CommandLine;
using AiEng.Onnx.Quantization;

namespace AiEng.Cli.Quantize;

/// <summary><c>aieng quantize MODEL.onnx --out FILE</c>: <see cref="OnnxQuantizer.QuantizeDynamicInt8Async"/>.</summary>
internal static class QuantizeCommand
{
    private static readonly Argument<string> Model = new("MODEL") { Description = "The float32 ONNX model (for example an embedding model's model.onnx)." };

    private static readonly Option<string> Out = new("--out", "-o") { Description = "The int8 model to write (written whole or not at all).", HelpName = "FILE", Required = true };

    private static readonly Option<bool> PerTensor = new("--per-tensor") { Description = "One scale per weight instead of one per output column (per channel, the default)." };

    private static readonly Option<string[]> Exclude = new("--exclude") { Description = "A MatMul node to keep in float32 (repeatable).", HelpName = "NODE" };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "quantize",
            "Quantizes an ONNX model's MatMul weights to int8 (dynamic quantization: activations stay float and are quantized at run time), and copies vocab.txt beside it when the model has one. Prints the sizes and the nodes quantized and skipped.",
            "aieng quantize models/minilm/model.onnx --out models/minilm-int8/model.onnx",
            "aieng quantize model.onnx -o model.int8.onnx --exclude /pooler/dense/MatMul --json");
        command.Add(Model);
        command.Add(Out);
        command.Add(PerTensor);
        command.Add(Exclude);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            var options = new OnnxQuantizationOptions { PerChannel = !context.GetValue(PerTensor) };
            foreach (string node in context.GetValue(Exclude) ?? [])
            {
                options.NodesToExclude.Add(node);
            }

            OnnxQuantizationResult result = await OnnxQuantizer.QuantizeDynamicInt8Async(
                context.ExistingFile(context.GetValue(Model), "MODEL"), context.FullPath(context.GetValue(Out)!), options, cancellationToken);
            context.WriteResult(
                new
                {
                    model = result.ModelPath,
                    vocabulary = result.VocabularyPath,
                    inputBytes = result.InputBytes,
                    outputBytes = result.OutputBytes,
                    quantizedNodes = result.QuantizedNodes,
                    skippedNodes = result.SkippedNodes.Select(n => n.ToString()),
                },
                output =>
                {
                    output.WriteLine($"Wrote {result.ModelPath}: {result.InputBytes:N0} -> {result.OutputBytes:N0} bytes; {result.QuantizedNodes.Count} MatMul nodes quantized, {result.SkippedNodes.Count} skipped.");
                    foreach (OnnxSkippedNode skipped in result.SkippedNodes)
                    {
                        output.WriteLine($"  skipped {skipped}");
                    }
                });
            return ExitCodes.Ok;
        });
    }
}
