using AiEng.Inference;
using AiEng.Shared;

namespace Microsoft.Extensions.AI;

/// <summary>Adds <see cref="UsageTrackingEmbeddingGenerator"/> to an embedding pipeline.</summary>
public static class UsageTrackingEmbeddingGeneratorBuilderExtensions
{
    /// <summary>
    /// Adds usage tracking: every call is recorded in a ledger with its input tokens, latency and cost, budgets are
    /// enforced before calls are sent, and metrics are emitted when enabled.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="ledger">
    /// The ledger; when <see langword="null"/>, the <see cref="IUsageLedger"/> registered in the builder's services, else a new
    /// <see cref="UsageLedger"/>.
    /// </param>
    /// <param name="configure">
    /// Adjusts the options: a copy of <c>IOptions&lt;UsageTrackingOptions&gt;</c> from the services when registered, else
    /// defaults. The <see cref="TimeProvider"/> and <see cref="System.Diagnostics.Metrics.IMeterFactory"/> also come from
    /// the services when registered.
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>Invalid options throw <see cref="ArgumentException"/> when the pipeline is built.</remarks>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseUsageTracking(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder,
        IUsageLedger? ledger = null,
        Action<UsageTrackingOptions>? configure = null)
    {
        Throw.IfNull(builder);
        return builder.Use((innerGenerator, services) =>
        {
            var resolved = UsageTrackingServices.Resolve(services, ledger, configure);
            return new UsageTrackingEmbeddingGenerator(innerGenerator, resolved.Ledger, resolved.Options, resolved.Time, resolved.MeterFactory);
        });
    }
}
