using Microsoft.Extensions.AI;

namespace AiEng.Composition;

/// <summary>
/// Wraps every client AiEng serves, whether a provider created it from configuration or the application supplied it, in the
/// same middleware. These two methods are the only places where pipelines are assembled.
/// </summary>
/// <remarks>
/// Order, outermost (nearest the caller) first, as <see cref="ChatClientBuilder"/> applies <c>Use</c> calls:
/// 1. the application's middleware from <c>AiEngBuilder.ConfigureChatPipeline</c> / <c>ConfigureEmbeddingPipeline</c>, in the order added;
/// 2. AiEng's own middleware;
/// 3. the provider's (or application's) client.
/// </remarks>
internal static class AiEngPipeline
{
    /// <summary>Builds the chat pipeline around <paramref name="inner"/>.</summary>
    /// <param name="inner">The provider's or application's client.</param>
    /// <param name="model">The model being served (its name keys usage records).</param>
    /// <param name="registry">The application's pipeline callbacks.</param>
    /// <param name="services">The application's services.</param>
    /// <returns>The outermost client.</returns>
    public static IChatClient BuildChatClient(IChatClient inner, ModelDescriptor model, AiEngRegistry registry, IServiceProvider services)
    {
        _ = model;
        var builder = new ChatClientBuilder(inner);
        foreach (var configure in registry.Chat.Pipeline)
        {
            configure(builder);
        }

        // ---- AiEng middleware: MERGE POINT for the lead (not present on this branch) ----
        // Insert here, innermost and in this order, so that budget/usage checks are not retried and each provider call is retried:
        //   builder.UseUsageTracking(...);  // from the usage-tracking branch; model.Name ("fast", null for the default) keys the records
        //   builder.UseResilience(...);     // from the resilience branch (AiEng.Inference)
        // ---- end of merge point ----
        return builder.Build(services);
    }

    /// <summary>Builds the embedding pipeline around <paramref name="inner"/>.</summary>
    /// <param name="inner">The provider's or application's generator.</param>
    /// <param name="model">The model being served.</param>
    /// <param name="registry">The application's pipeline callbacks.</param>
    /// <param name="services">The application's services.</param>
    /// <returns>The outermost generator.</returns>
    public static IEmbeddingGenerator<string, Embedding<float>> BuildEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> inner, ModelDescriptor model, AiEngRegistry registry, IServiceProvider services)
    {
        _ = model;
        var builder = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner);
        foreach (var configure in registry.Embeddings.Pipeline)
        {
            configure(builder);
        }

        // ---- AiEng middleware: MERGE POINT for the lead (not present on this branch) ----
        // Insert here, innermost and in this order:
        //   builder.UseUsageTracking(...);  // embedding usage (input tokens) keyed by model.Name
        //   builder.UseResilience(...);     // embedding resilience (AiEng.Inference)
        // ---- end of merge point ----
        return builder.Build(services);
    }
}
