namespace AiEng.Samples.CostOptimization;

/// <summary>What one run of a workload cost: calls that reached the model, their cost, the cache hits, and the embedding calls the cache made.</summary>
internal sealed record StepResult(int ModelCalls, decimal ModelCost, long CacheHits, long EmbeddingCalls, decimal EmbeddingCost, IReadOnlyList<string> Served);
