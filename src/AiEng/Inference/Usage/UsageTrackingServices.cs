using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Inference;

/// <summary>Resolves what <c>UseUsageTracking</c> needs from a builder's services, shared by the chat and embedding extensions.</summary>
internal static class UsageTrackingServices
{
    public static (IUsageLedger Ledger, UsageTrackingOptions Options, TimeProvider Time, IMeterFactory? MeterFactory) Resolve(
        IServiceProvider services,
        IUsageLedger? ledger,
        Action<UsageTrackingOptions>? configure)
    {
        UsageTrackingOptions options = services.GetService<IOptions<UsageTrackingOptions>>()?.Value.Clone() ?? new UsageTrackingOptions();
        configure?.Invoke(options);
        return (
            ledger ?? services.GetService<IUsageLedger>() ?? new UsageLedger(),
            options,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<IMeterFactory>());
    }
}
