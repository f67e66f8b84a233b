using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a persistent embedding cache to every embedding model AiEng serves.</summary>
public static class EmbeddingCacheAiEngBuilderExtensions
{
    /// <summary>
    /// Caches the embeddings of every embedding model AiEng serves, default and named, in files under
    /// <paramref name="directory"/>, keyed by model and text, so that embedding the same text with the same model again
    /// (for example re-indexing unchanged documents) makes no call to the model and records no usage.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="directory">The cache directory; created when missing. One directory can serve every model.</param>
    /// <param name="configure">Sets a size limit or default expiration; <see langword="null"/> for none (entries kept forever).</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The configured size limit or expiration is invalid.</exception>
    /// <exception cref="InvalidOperationException">The builder was not created by <c>AddAiEng</c>.</exception>
    /// <remarks>
    /// The cache is added like middleware from <see cref="AiEngBuilder.ConfigureEmbeddingPipeline(Action{EmbeddingGeneratorBuilder{string, Embedding{float}}})"/>: outside AiEng's usage
    /// tracking and resilience, so a hit costs no tokens and no retries.
    /// </remarks>
    public static AiEngBuilder UseEmbeddingDiskCache(this AiEngBuilder builder, string directory, Action<FileSystemDistributedCacheOptions>? configure = null)
    {
        Throw.IfNull(builder);
        var options = new FileSystemDistributedCacheOptions { Directory = Throw.IfNullOrWhitespace(directory) };
        configure?.Invoke(options);
        var cache = new FileSystemDistributedCache(options);
        return builder.ConfigureEmbeddingPipeline(pipeline => pipeline.UseEmbeddingCache(cache));
    }
}
