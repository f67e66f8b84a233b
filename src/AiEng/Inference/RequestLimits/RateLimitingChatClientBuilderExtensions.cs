using AiEng.Inference;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.AI;

/// <summary>Adds a model's client-side rate limits (requests and tokens per minute) to a chat client pipeline.</summary>
public static class RateLimitingChatClientBuilderExtensions
{
    /// <summary>
    /// Queues each request until <paramref name="limiter"/> admits it: one request permit, and when a token limit is set the
    /// prompt's estimated tokens plus <see cref="ChatOptions.MaxOutputTokens"/>; a 429 from the model pauses every caller of the
    /// limiter for the delay the provider asks.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="limiter">The model's limiter; share one (from <see cref="ModelRateLimiters"/>) among all clients of the model.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="limiter"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Add it after <c>UseResilience</c> (nearer the model), so that each retry passes the limiter. Tokens are estimated with
    /// the <see cref="ITokenCounter"/> of the builder's services, else <c>o200k_base</c>. AiEng's pipeline adds it itself for a
    /// configured model with <c>Settings:RequestsPerMinute</c> or <c>Settings:TokensPerMinute</c>.
    /// </remarks>
    public static ChatClientBuilder UseRateLimits(this ChatClientBuilder builder, ModelRateLimiter limiter)
    {
        Throw.IfNull(builder);
        Throw.IfNull(limiter);
        return builder.Use((inner, services) => new RateLimitingChatClient(inner, limiter, TokenCounterOf(services)));
    }

    /// <summary>Gets the counter that estimates requests' tokens: the application's, else <c>o200k_base</c>.</summary>
    internal static ITokenCounter TokenCounterOf(IServiceProvider services) => services.GetService<ITokenCounter>() ?? TiktokenTokenCounter.O200kBase;
}
