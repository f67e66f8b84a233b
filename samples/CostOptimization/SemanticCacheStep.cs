using AiEng.Inference;
using Microsoft.Extensions.AI;

namespace AiEng.Samples.CostOptimization;

/// <summary>
/// Step 1, the semantic cache: runs a support-desk workload plain and with <c>UseSemanticCache</c>, each through AiEng's
/// usage tracking with a price table, and prints the model calls, their cost and the cache hits of each.
/// </summary>
internal static class SemanticCacheStep
{
    /// <summary>A dozen questions, some asked again in other words, and two near-misses that must still reach the model.</summary>
    public static readonly IReadOnlyList<string> Workload =
    [
        "What is your refund policy?",
        "How long does standard shipping take?",
        "Do you ship to Canada?",
        "How do I reset my password?",
        "What payment methods do you accept?",
        "what is your refund policy",
        "How long does standard shipping usually take?",
        "Do you ship to Brazil?",
        "How do I reset my password please?",
        "Which payment methods do you accept?",
        "How long does express shipping take?",
        "Do you ship to Canada?",
    ];

    /// <summary>Runs the workload both ways and prints a line for each; returns the two results.</summary>
    /// <param name="embedder">The embedding model of the cache: the local all-MiniLM-L6-v2 in the sample.</param>
    /// <param name="output">Where to print.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<(StepResult Plain, StepResult Cached)> RunAsync(
        IEmbeddingGenerator<string, Embedding<float>> embedder, TextWriter output, CancellationToken cancellationToken = default)
    {
        output.WriteLine("== Step 1: semantic cache (UseSemanticCache)");
        output.WriteLine($"   {Workload.Count} support questions, some asked again in other words; the model is an offline stand-in priced as {PricedOfflineModel.Id}.");

        StepResult plain = await RunAsync(embedder, cache: false, cancellationToken).ConfigureAwait(false);
        StepResult cached = await RunAsync(embedder, cache: true, cancellationToken).ConfigureAwait(false);
        Print(output, "plain", plain);
        Print(output, "semantic cache", cached);
        foreach (string served in cached.Served)
        {
            output.WriteLine($"   served from the cache: {served}");
        }

        output.WriteLine($"   saved {plain.ModelCost - cached.ModelCost:0.000000} USD ({(plain.ModelCost - cached.ModelCost) / plain.ModelCost:P0}) of model cost; near-misses (another country, another shipping speed) still went to the model.");
        return (plain, cached);
    }

    private static async Task<StepResult> RunAsync(IEmbeddingGenerator<string, Embedding<float>> embedder, bool cache, CancellationToken cancellationToken)
    {
        var ledger = new UsageLedger();
        void Prices(UsageTrackingOptions options) =>
            options.Prices[PricedOfflineModel.Id] = new ModelPrice { InputPerMillion = 0.15m, OutputPerMillion = 0.60m };

        using var model = new PricedOfflineModel();
        ChatClientBuilder builder = model.AsBuilder().UseUsageTracking(ledger, Prices);
        if (cache)
        {
            // The cache's embeddings are tracked in the same ledger: local MiniLM costs nothing, a hosted model would show its price here.
            builder.UseSemanticCache(embedder.AsBuilder().UseUsageTracking(ledger).Build());
        }

        using IChatClient client = builder.Build();
        var served = new List<string>();
        foreach (string question in Workload)
        {
            ChatResponse response = await client.GetResponseAsync(question, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (ResponseCacheProperties.GetHit(response.AdditionalProperties) is not null)
            {
                served.Add($"\"{question}\" (similarity {(double)response.AdditionalProperties![ResponseCacheProperties.Similarity]!:0.00})");
            }
        }

        UsageTotals chat = ledger.GetTotalsBy(UsageGrouping.Operation).GetValueOrDefault(UsageOperations.Chat, UsageTotals.Empty);
        UsageTotals embeddings = ledger.GetTotalsBy(UsageGrouping.Operation).GetValueOrDefault(UsageOperations.Embeddings, UsageTotals.Empty);
        return new StepResult(model.Calls, chat.Cost, chat.CacheHits, embeddings.Calls, embeddings.Cost, served);
    }

    private static void Print(TextWriter output, string name, StepResult result) =>
        output.WriteLine($"   {name,-15} model calls {result.ModelCalls,2}, model cost {result.ModelCost:0.000000} USD, cache hits {result.CacheHits,2}, embedding calls {result.EmbeddingCalls,2} ({result.EmbeddingCost:0.000000} USD)");
}
