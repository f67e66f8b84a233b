using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;

namespace Microsoft.Extensions.AI;

/// <summary>Adds a semantic cache to a chat pipeline.</summary>
public static class SemanticCacheChatClientBuilderExtensions
{
    /// <summary>
    /// Answers a request from a stored response when an earlier request of the same scope (system prompt, conversation so
    /// far, model, tools, response format and sampling options) asked a question whose embedding is similar enough, and
    /// the <see cref="SemanticCacheOptions.Guard"/> agrees. Responses cut by length, tool calls, errors and failed or
    /// abandoned streams are never cached. Get the cache, to invalidate it, with <c>client.GetService&lt;SemanticCache&gt;()</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="embeddingGenerator">
    /// The model that embeds the questions, or <see langword="null"/> to take the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>
    /// of the pipeline's services. Its usage is recorded when it has usage tracking (as AiEng's registered generators do).
    /// </param>
    /// <param name="configure">Sets the threshold, time to live, guard or scope; <see langword="null"/> keeps the defaults.</param>
    /// <param name="vectors">
    /// The collection of question vectors (create it with <see cref="SemanticCacheRecord.CreateDefinition"/>), or
    /// <see langword="null"/> for an index in process memory.
    /// </param>
    /// <param name="responses">The store of responses, or <see langword="null"/> for a <see cref="MemoryDistributedCache"/> of this pipeline.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are invalid (the message names each one).</exception>
    /// <exception cref="InvalidOperationException">When the pipeline is built: no <paramref name="embeddingGenerator"/> was given and the services have none.</exception>
    /// <remarks>
    /// Place it inside <c>UseUsageTracking</c> (after it in the builder) so that hits are recorded as cache hits with no model
    /// cost, and outside <c>UseResilience</c>, so that a hit skips retries. A <see cref="TimeProvider"/> and an
    /// <see cref="ILoggerFactory"/> are taken from the services when present.
    /// </remarks>
    public static ChatClientBuilder UseSemanticCache(
        this ChatClientBuilder builder,
        IEmbeddingGenerator<string, Embedding<float>>? embeddingGenerator = null,
        Action<SemanticCacheOptions>? configure = null,
        VectorStoreCollection<string, SemanticCacheRecord>? vectors = null,
        IDistributedCache? responses = null)
    {
        Throw.IfNull(builder);
        var options = new SemanticCacheOptions();
        configure?.Invoke(options);
        SemanticCacheOptions settings = options.ValidateAndClone(nameof(configure));
        return builder.Use((inner, services) => new SemanticCachingChatClient(inner, Create(inner, services, embeddingGenerator, settings, vectors, responses)));
    }

    /// <summary>Creates the cache of one pipeline, with the services' generator, clock and logger when not given.</summary>
    internal static SemanticCache Create(
        IChatClient inner,
        IServiceProvider services,
        IEmbeddingGenerator<string, Embedding<float>>? embeddingGenerator,
        SemanticCacheOptions settings,
        VectorStoreCollection<string, SemanticCacheRecord>? vectors,
        IDistributedCache? responses)
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = embeddingGenerator
            ?? services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()
            ?? throw new InvalidOperationException(
                "UseSemanticCache needs an embedding model: pass one to UseSemanticCache(embeddingGenerator: ...), or register an "
                + "IEmbeddingGenerator<string, Embedding<float>> in the services (for example AddAiEng with an embedding model, and AddOnnx() for the local one).");
        SemanticCacheIndex index = vectors is null ? new InMemorySemanticCacheIndex(settings.MaxEntries) : new VectorStoreSemanticCacheIndex(vectors);
        IDistributedCache store = responses ?? new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()));
        ILogger? logger = services.GetService<ILoggerFactory>()?.CreateLogger("AiEng.SemanticCache");
        return new SemanticCache(generator, index, store, settings, inner.GetService<ChatClientMetadata>(), services.GetService<TimeProvider>(), logger);
    }
}
