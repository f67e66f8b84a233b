using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.Caching.Distributed;

namespace Microsoft.Extensions.AI;

/// <summary>Adds a persistent embedding cache, keyed by the model as well as the text, to an embedding pipeline.</summary>
public static class EmbeddingCacheBuilderExtensions
{
    /// <summary>The first value of every cache key this middleware computes, so its entries never collide with other users of a shared cache.</summary>
    internal const string KeyScope = "aieng-embedding";

    /// <summary>
    /// Caches embeddings in files under <paramref name="directory"/> (a <see cref="FileSystemDistributedCache"/>), so that
    /// embedding text again, for example re-indexing unchanged documents, makes no call to the model.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="directory">The cache directory; created when missing.</param>
    /// <param name="configure">Sets a size limit or default expiration; <see langword="null"/> for none (entries kept forever).</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The configured size limit or expiration is invalid.</exception>
    /// <remarks>See <see cref="UseEmbeddingCache"/> for how entries are keyed.</remarks>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseDiskCache(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, string directory, Action<FileSystemDistributedCacheOptions>? configure = null)
    {
        Throw.IfNull(builder);
        var options = new FileSystemDistributedCacheOptions { Directory = Throw.IfNullOrWhitespace(directory) };
        configure?.Invoke(options);
        return builder.UseEmbeddingCache(new FileSystemDistributedCache(options));
    }

    /// <summary>
    /// Caches embeddings in <paramref name="cache"/> with MEAI's <see cref="DistributedCachingEmbeddingGenerator{TInput, TEmbedding}"/>,
    /// keyed by the text, the call's options and the identity of the model behind the pipeline.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="cache">The cache, for example a <see cref="FileSystemDistributedCache"/>.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// MEAI's key covers the text and the call's <see cref="EmbeddingGenerationOptions"/>, their additional properties
    /// included (so a per-call model id, dimension count or input kind, query or document, is included), but not the model
    /// the generator uses by default. This middleware adds the inner
    /// generator's <see cref="EmbeddingGeneratorMetadata"/> (provider name and endpoint, default model id and dimensions) to
    /// every key, and its <see cref="EmbeddingModelFingerprint"/> when it has one (a local model's content hash), so one cache
    /// can serve several models, or an int8 and a float32 copy of one model, without ever returning one model's vector for another's.
    /// An embedding holding NaN or an infinity (a failing model's output) is returned as it came and not cached, so that its
    /// reader can refuse it and the next call asks the model again.
    /// </remarks>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseEmbeddingCache(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, IDistributedCache cache)
    {
        Throw.IfNull(builder);
        Throw.IfNull(cache);
        return builder.Use((inner, _) =>
        {
            EmbeddingGeneratorMetadata? metadata = inner.GetService<EmbeddingGeneratorMetadata>();
            List<object> keyValues =
            [
                KeyScope,
                metadata?.ProviderName ?? string.Empty,
                metadata?.ProviderUri?.AbsoluteUri ?? string.Empty,
                metadata?.DefaultModelId ?? string.Empty,
                metadata?.DefaultModelDimensions ?? 0,
            ];

            // Added only when known, so the keys of generators without one (hosted models) stay as they were.
            if (inner.GetService<EmbeddingModelFingerprint>() is { } fingerprint)
            {
                keyValues.Add(fingerprint.Value);
            }

            return new FiniteEmbeddingCachingGenerator(inner, cache)
            {
                CacheKeyAdditionalValues = keyValues,
            };
        });
    }
}
