using AiEng.Onnx;
using AiEng.Samples.CostOptimization;

namespace AiEng.Samples.Tests.CostOptimization;

/// <summary>Runs the sample's semantic-cache step offline, with the local MiniLM model the sample uses.</summary>
public sealed class SemanticCacheStepTests
{
    [Fact]
    public async Task Serves_the_repeated_questions_from_the_cache_and_sends_the_near_misses_to_the_model()
    {
        using var embedder = new OnnxEmbeddingGenerator();
        var output = new StringWriter();

        (StepResult plain, StepResult cached) = await SemanticCacheStep.RunAsync(embedder, output);

        Assert.Equal(SemanticCacheStep.Workload.Count, plain.ModelCalls);
        Assert.Equal(0, plain.CacheHits);
        Assert.Equal(5, cached.CacheHits);
        Assert.Equal(SemanticCacheStep.Workload.Count - 5, cached.ModelCalls);
        Assert.Equal(SemanticCacheStep.Workload.Count, cached.EmbeddingCalls);
        // 12 and 7 calls of 400 input tokens at 0.15 and 150 output tokens at 0.60 per million.
        Assert.Equal(0.0018m, plain.ModelCost);
        Assert.Equal(0.00105m, cached.ModelCost);
        string text = output.ToString();
        Assert.Contains("served from the cache: \"what is your refund policy\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("served from the cache: \"Do you ship to Brazil?\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("served from the cache: \"How long does express shipping take?\"", text, StringComparison.Ordinal);
        Assert.Contains("saved 0.000750 USD", text, StringComparison.Ordinal);
    }
}
