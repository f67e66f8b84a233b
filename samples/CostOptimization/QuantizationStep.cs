using System.Diagnostics;
using System.Numerics.Tensors;
using AiEng.Onnx;
using AiEng.Onnx.Quantization;
using Microsoft.Extensions.AI;

namespace AiEng.Samples.CostOptimization;

/// <summary>What the quantization step measured: the two model sizes, how many MatMuls became int8, how close the vectors stay, and a rough speed.</summary>
internal sealed record QuantizationResult(long FloatBytes, long Int8Bytes, int QuantizedMatMuls, double MeanCosine, double FloatTextsPerSecond, double Int8TextsPerSecond);

/// <summary>
/// Step 2, a quantized local model: quantizes the embedded all-MiniLM-L6-v2 to int8 with <see cref="OnnxQuantizer"/>, loads
/// the file like any other model, embeds the same texts with both and prints the sizes, the cosine between their vectors
/// and a rough throughput of each.
/// </summary>
internal static class QuantizationStep
{
    /// <summary>Runs the step; returns what it measured.</summary>
    /// <param name="float32">The float32 model: the embedded all-MiniLM-L6-v2.</param>
    /// <param name="modelFolder">Where to write the int8 model and its vocabulary (replaced if there).</param>
    /// <param name="output">Where to print.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<QuantizationResult> RunAsync(
        IEmbeddingGenerator<string, Embedding<float>> float32, string modelFolder, TextWriter output, CancellationToken cancellationToken = default)
    {
        output.WriteLine("== Step 2: a quantized local embedding model (OnnxQuantizer)");
        OnnxQuantizationResult quantized = await OnnxQuantizer.QuantizeEmbeddedModelAsync(modelFolder, cancellationToken: cancellationToken).ConfigureAwait(false);
        output.WriteLine($"   {quantized.ModelPath}: {quantized.InputBytes / 1e6:F0} MB float32 -> {quantized.OutputBytes / 1e6:F0} MB, {quantized.QuantizedNodes.Count} MatMul weights int8 ({quantized.SkippedNodes.Count} products of two activations stay float32).");

        using var int8 = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { ModelPath = quantized.ModelPath, VocabularyPath = quantized.VocabularyPath });

        // The support questions of step 1, eight times over: enough for a rough figure (docs/benchmarks.md has the measured one).
        string[] texts = [.. Enumerable.Repeat(SemanticCacheStep.Workload, 8).SelectMany(questions => questions)];
        await float32.GenerateAsync(texts.Take(8), cancellationToken: cancellationToken).ConfigureAwait(false);
        await int8.GenerateAsync(texts.Take(8), cancellationToken: cancellationToken).ConfigureAwait(false);
        var (floatVectors, floatSeconds) = await TimeAsync(float32, texts, cancellationToken).ConfigureAwait(false);
        var (int8Vectors, int8Seconds) = await TimeAsync(int8, texts, cancellationToken).ConfigureAwait(false);
        double meanCosine = floatVectors.Zip(int8Vectors, (f, q) => (double)TensorPrimitives.CosineSimilarity(f.Vector.Span, q.Vector.Span)).Average();

        var result = new QuantizationResult(quantized.InputBytes, quantized.OutputBytes, quantized.QuantizedNodes.Count, meanCosine, texts.Length / floatSeconds, texts.Length / int8Seconds);
        output.WriteLine($"   mean cosine between the float32 and int8 vectors of {texts.Length} texts: {result.MeanCosine:F4}");
        output.WriteLine($"   rough throughput here: float32 {result.FloatTextsPerSecond:F0} texts/s, int8 {result.Int8TextsPerSecond:F0} texts/s (one run on a possibly busy machine; see docs/benchmarks.md, embed-quantized).");
        output.WriteLine($"   use it: AiEng:Embeddings:Provider=Onnx, AiEng:Embeddings:Settings:ModelPath={quantized.ModelPath}, AiEng:Embeddings:Settings:VocabularyPath={quantized.VocabularyPath}");
        output.WriteLine("   re-embed your documents after switching: the two models' vectors must not share an index (the embedding cache keys by the model file's hash).");
        return result;
    }

    private static async Task<(GeneratedEmbeddings<Embedding<float>> Vectors, double Seconds)> TimeAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, string[] texts, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var vectors = await generator.GenerateAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (vectors, watch.Elapsed.TotalSeconds);
    }
}
