using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace AiEng.Inference;

/// <summary>
/// MEAI's <see cref="DistributedCachingEmbeddingGenerator{TInput, TEmbedding}"/> that does not write an embedding holding
/// NaN or an infinity (a failing model's output): MEAI's JSON writer throws <see cref="ArgumentException"/> for such a
/// value, which failed the whole call far from its cause. Returned uncached, it reaches its reader, which refuses it with
/// a message that says what was wrong (ingestion, batches, retrieval), and the next call asks the model again.
/// </summary>
internal sealed class FiniteEmbeddingCachingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, IDistributedCache storage)
    : DistributedCachingEmbeddingGenerator<string, Embedding<float>>(innerGenerator, storage)
{
    protected override Task WriteCacheAsync(string key, Embedding<float> value, CancellationToken cancellationToken) =>
        FiniteVectors.IndexOfNonFinite(value.Vector.Span) >= 0 ? Task.CompletedTask : base.WriteCacheAsync(key, value, cancellationToken);
}
