using AiEng.Composition;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the semantic cache to every chat model AiEng serves.</summary>
public static class SemanticCacheAiEngBuilderExtensions
{
    /// <summary>The sub-section of AiEng's configuration the options are bound from (<c>AiEng:SemanticCache</c>).</summary>
    internal const string Section = "SemanticCache";

    /// <summary>
    /// Answers chat requests of every chat model AiEng serves, default and named, from stored responses to similar earlier
    /// questions of the same scope (see <c>ChatClientBuilder.UseSemanticCache</c>). The questions are embedded with AiEng's
    /// default embedding model, so their embedding usage is recorded; a hit is recorded in the usage ledger as a cache hit with
    /// no model cost.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="configure">Sets the guard or the scope in code; <see langword="null"/> keeps the defaults and the configuration.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The builder was not created by <c>AddAiEng</c>.</exception>
    /// <remarks>
    /// <para>
    /// <see cref="SemanticCacheOptions.Threshold"/>, <see cref="SemanticCacheOptions.TimeToLive"/>,
    /// <see cref="SemanticCacheOptions.MaxCandidates"/> and <see cref="SemanticCacheOptions.MaxEntries"/> are bound from <c>AiEng:SemanticCache</c> and validated when the host
    /// starts. The cache sits inside AiEng's usage tracking and outside its resilience. A
    /// <c>VectorStoreCollection&lt;string, SemanticCacheRecord&gt;</c> registered in the services keeps the vectors, else
    /// they are kept in memory; an <see cref="IDistributedCache"/> registered in the services keeps the responses (under keys
    /// of their own), else a memory cache does. Adding it twice adds it once.
    /// </para>
    /// <para>Each chat model has its own cache: get it to invalidate entries with <c>chatClient.GetService&lt;SemanticCache&gt;()</c>.</para>
    /// </remarks>
    public static AiEngBuilder UseSemanticCache(this AiEngBuilder builder, Action<SemanticCacheOptions>? configure = null)
    {
        Throw.IfNull(builder);
        AiEngRegistry registry = AiEngBuilder.FindRegistry(builder.Services)
            ?? throw new InvalidOperationException("AiEng is not added to this service collection: call services.AddAiEng(configuration) and use the builder it returns.");
        OptionsBuilder<SemanticCacheOptions> options = builder.AddOptions<SemanticCacheOptions, SemanticCacheOptionsAnnotationValidator>(Section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        registry.SemanticCache = true;
        return builder;
    }

    /// <summary>Creates the semantic-cache middleware of one chat pipeline from the application's services.</summary>
    internal static IChatClient Create(IChatClient inner, IServiceProvider services)
    {
        SemanticCacheOptions settings = services.GetRequiredService<IOptions<SemanticCacheOptions>>().Value.ValidateAndClone("configure");
        SemanticCache cache = SemanticCacheChatClientBuilderExtensions.Create(
            inner,
            services,
            embeddingGenerator: null,
            settings,
            services.GetService<VectorStoreCollection<string, SemanticCacheRecord>>(),
            services.GetService<IDistributedCache>());
        return new SemanticCachingChatClient(inner, cache);
    }
}
