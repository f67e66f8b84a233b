using AiEng.Onnx;
using AiEng.Samples.CostOptimization;

namespace AiEng.Samples.Tests.CostOptimization;

/// <summary>Runs the sample's quantization step offline, into a temporary folder.</summary>
public sealed class QuantizationStepTests
{
    [Fact]
    public async Task Quantizes_the_embedded_model_loads_it_and_prints_sizes_cosine_and_how_to_use_it()
    {
        string folder = Directory.CreateTempSubdirectory("aieng-sample-quant-").FullName;
        try
        {
            using var embedder = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { IntraOpThreads = 1 });
            var output = new StringWriter();

            QuantizationResult result = await QuantizationStep.RunAsync(embedder, Path.Combine(folder, "int8"), output);

            Assert.Equal(36, result.QuantizedMatMuls);
            Assert.InRange(result.Int8Bytes, result.FloatBytes / 2, result.FloatBytes * 7 / 10);
            Assert.True(result.MeanCosine > 0.99, $"mean cosine {result.MeanCosine}");
            Assert.True(result.FloatTextsPerSecond > 0 && result.Int8TextsPerSecond > 0);
            Assert.True(File.Exists(Path.Combine(folder, "int8", "model.onnx")));
            string text = output.ToString();
            Assert.Contains("36 MatMul weights int8 (12 products of two activations stay float32)", text, StringComparison.Ordinal);
            Assert.Contains($"mean cosine between the float32 and int8 vectors of 96 texts: {result.MeanCosine:F4}", text, StringComparison.Ordinal);
            Assert.Contains($"AiEng:Embeddings:Settings:ModelPath={Path.Combine(folder, "int8", "model.onnx")}", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
