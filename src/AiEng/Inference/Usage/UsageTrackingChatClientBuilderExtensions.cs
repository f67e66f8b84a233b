using AiEng.Inference;
using AiEng.Shared;

namespace Microsoft.Extensions.AI;

/// <summary>Adds <see cref="UsageTrackingChatClient"/> to a chat pipeline.</summary>
public static class UsageTrackingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds usage tracking: every call is recorded in a ledger with its tokens, latency and cost, budgets are enforced
    /// before calls are sent, and metrics are emitted when enabled. Place it outside (before) retry middleware to record
    /// one call per logical request, or inside it to record each attempt.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="ledger">
    /// The ledger; when <see langword="null"/>, the <see cref="IUsageLedger"/> registered in the builder's services, else a new
    /// <see cref="UsageLedger"/>.
    /// </param>
    /// <param name="configure">
    /// Adjusts the options: a copy of <c>IOptions&lt;UsageTrackingOptions&gt;</c> from the services when registered (the AiEng
    /// DI layer binds <c>AiEng:Usage</c>), else defaults. The <see cref="TimeProvider"/> and
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> also come from the services when registered.
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>Invalid options throw <see cref="ArgumentException"/> when the pipeline is built.</remarks>
    public static ChatClientBuilder UseUsageTracking(this ChatClientBuilder builder, IUsageLedger? ledger = null, Action<UsageTrackingOptions>? configure = null)
    {
        Throw.IfNull(builder);
        return builder.Use((innerClient, services) =>
        {
            var resolved = UsageTrackingServices.Resolve(services, ledger, configure);
            return new UsageTrackingChatClient(innerClient, resolved.Ledger, resolved.Options, resolved.Time, resolved.MeterFactory);
        });
    }
}
