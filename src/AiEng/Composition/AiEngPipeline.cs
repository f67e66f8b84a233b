using AiEng.Inference;
using AiEng.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Composition;

/// <summary>
/// Wraps every client AiEng serves, whether a provider created it from configuration or the application supplied it, in the
/// same middleware. These two methods are the only places where pipelines are assembled.
/// </summary>
/// <remarks>
/// Order, outermost (nearest the caller) first, as <see cref="ChatClientBuilder"/> applies <c>Use</c> calls:
/// 1. the application's middleware from <c>AiEngBuilder.ConfigureChatPipeline</c> / <c>ConfigureEmbeddingPipeline</c>, in the order added;
/// 2. AiEng's own middleware: usage tracking, the semantic cache when added, resilience, the model's rate limits when set;
/// 3. the provider's (or application's) client.
/// </remarks>
internal static class AiEngPipeline
{
    /// <summary>Builds the chat pipeline around <paramref name="inner"/>.</summary>
    /// <param name="inner">The provider's or application's client.</param>
    /// <param name="registry">The application's pipeline callbacks.</param>
    /// <param name="services">The application's services.</param>
    /// <param name="configurationPath">The model's configuration section, named in error messages (for example <c>AiEng:Chat</c>).</param>
    /// <param name="pipelineKey">The key of the model's resilience pipeline in Polly's registry (<see cref="ModelResiliencePipelines.ChatKey"/>).</param>
    /// <param name="name">The model's name, or <see langword="null"/> for the default model: it selects the application's per-model middleware.</param>
    /// <param name="rateLimiter">The model's shared rate limiter, or <see langword="null"/> when it has no limits.</param>
    /// <returns>The outermost client.</returns>
    public static IChatClient BuildChatClient(
        IChatClient inner, AiEngRegistry registry, IServiceProvider services, string configurationPath, string pipelineKey, string? name, ModelRateLimiter? rateLimiter = null)
    {
        var builder = new ChatClientBuilder(inner);
        foreach (var configure in registry.Chat.PipelineOf(name))
        {
            configure(builder);
        }

        // AiEng's middleware: usage outside resilience, so a logical call is one record, a budget stops it before any
        // attempt is sent, and each provider attempt is retried on its own. The resilience pipeline is the model's entry in
        // Polly's registry: AiEng's (from AiEng:Resilience) unless the application registered one under the same key. A typed
        // pipeline the application registered under the key (hedging, fallback) runs the non-streaming calls around it.
        builder.UseUsageTracking();
        if (registry.SemanticCache)
        {
            // Inside usage tracking, so that a hit is recorded as one (no tokens, no cost), and outside resilience, so that a hit skips retries.
            builder.Use((client, serviceProvider) => SemanticCacheAiEngBuilderExtensions.Create(client, serviceProvider));
        }

        var pipeline = ModelResiliencePipelines.GetOrAdd(services, pipelineKey);
        var responses = ModelResiliencePipelines.GetTyped<ChatResponse>(services, pipelineKey);
        var timeProvider = services.GetService<TimeProvider>();
        builder.Use(client => new ResilientChatClient(client, pipeline, responses, timeProvider, configurationPath));

        // The rate limits inside resilience, next to the model: every attempt, retries included, waits for its permit.
        if (rateLimiter is not null)
        {
            builder.UseRateLimits(rateLimiter);
        }

        return builder.Build(services);
    }

    /// <summary>Builds the embedding pipeline around <paramref name="inner"/>.</summary>
    /// <param name="inner">The provider's or application's generator.</param>
    /// <param name="registry">The application's pipeline callbacks.</param>
    /// <param name="services">The application's services.</param>
    /// <param name="configurationPath">The model's configuration section, named in error messages.</param>
    /// <param name="pipelineKey">The key of the model's resilience pipeline in Polly's registry (<see cref="ModelResiliencePipelines.EmbeddingsKey"/>).</param>
    /// <param name="name">The model's name, or <see langword="null"/> for the default model: it selects the application's per-model middleware.</param>
    /// <param name="limits">The model's request limits (the provider's, overridden by its settings), or <see langword="null"/> for none.</param>
    /// <param name="rateLimiter">The model's shared rate limiter, or <see langword="null"/> when it has no limits.</param>
    /// <returns>The outermost generator.</returns>
    public static IEmbeddingGenerator<string, Embedding<float>> BuildEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> inner, AiEngRegistry registry, IServiceProvider services, string configurationPath, string pipelineKey, string? name,
        EmbeddingRequestLimits? limits = null, ModelRateLimiter? rateLimiter = null)
    {
        var builder = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner);
        foreach (var configure in registry.Embeddings.PipelineOf(name))
        {
            configure(builder);
        }

        // AiEng's middleware, in the same order as for chat, with the request limits outermost: a call is split first, so
        // each request is recorded, budgeted and retried on its own, and a retry resends one request, not the whole call.
        if (limits is not null)
        {
            builder.Use((generator, serviceProvider) => RequestLimitingEmbeddingGeneratorBuilderExtensions.Create(generator, serviceProvider, limits, configurationPath));
        }

        builder.UseUsageTracking();
        var pipeline = ModelResiliencePipelines.GetOrAdd(services, pipelineKey);
        var embeddings = ModelResiliencePipelines.GetTyped<GeneratedEmbeddings<Embedding<float>>>(services, pipelineKey);
        var timeProvider = services.GetService<TimeProvider>();
        builder.Use(generator => new ResilientEmbeddingGenerator<string, Embedding<float>>(generator, pipeline, embeddings, timeProvider, configurationPath));
        if (rateLimiter is not null)
        {
            builder.UseRateLimits(rateLimiter);
        }

        return builder.Build(services);
    }
}
