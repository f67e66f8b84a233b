using AiEng.Inference;
using AiEng.Shared;
using AiEng.Tokens;

namespace Microsoft.Extensions.AI;

/// <summary>Adds a model's client-side rate limits (requests and tokens per minute) to an embedding generator pipeline.</summary>
public static class RateLimitingEmbeddingGeneratorBuilderExtensions
{
    /// <summary>
    /// Queues each request until <paramref name="limiter"/> admits it: one request permit, and when a token limit is set the
    /// inputs' tokens; a 429 from the model pauses every caller of the limiter for the delay the provider asks.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="limiter">The model's limiter; share one (from <see cref="ModelRateLimiters"/>) among all generators of the model.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="limiter"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Add it after <c>UseResilience</c> (nearer the model), so that each retry passes the limiter. Tokens are counted with the
    /// model's tokenizer when the inner generator offers an <see cref="EmbeddingTokenWindow"/>, else the <see cref="ITokenCounter"/>
    /// of the builder's services, else <c>o200k_base</c>.
    /// </remarks>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseRateLimits(this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, ModelRateLimiter limiter)
    {
        Throw.IfNull(builder);
        Throw.IfNull(limiter);
        return builder.Use((inner, services) => new RateLimitingEmbeddingGenerator(
            inner, limiter, inner.GetService<EmbeddingTokenWindow>()?.TokenCounter ?? RateLimitingChatClientBuilderExtensions.TokenCounterOf(services)));
    }
}
