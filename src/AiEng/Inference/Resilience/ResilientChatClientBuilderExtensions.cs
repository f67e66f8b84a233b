using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiEng.Inference;

/// <summary>Adds <see cref="ResilientChatClient"/> to a chat client pipeline.</summary>
public static class ResilientChatClientBuilderExtensions
{
    /// <summary>
    /// Adds resilience to the chat client pipeline: retries of transient failures with exponential backoff, jitter and
    /// <c>Retry-After</c>, per-attempt and total timeouts, and a circuit breaker (see <see cref="ResilienceOptions"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">
    /// Changes the options of this pipeline. It receives a copy of the registered <c>IOptions&lt;ResilienceOptions&gt;</c>
    /// value (bound from <c>AiEng:Resilience</c> by <c>AddAiEng</c>) or the defaults; the registered value is never changed.
    /// </param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> are taken from the builder's services when registered.
    /// The options are validated when the pipeline is built: <c>Build</c> throws <see cref="ArgumentException"/> for a value out of range.
    /// </remarks>
    public static ChatClientBuilder UseResilience(this ChatClientBuilder builder, Action<ResilienceOptions>? configure = null)
    {
        Throw.IfNull(builder);
        return builder.Use((innerClient, services) => new ResilientChatClient(
            innerClient,
            ResilienceOptions.Resolve(services, configure),
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>()));
    }
}
