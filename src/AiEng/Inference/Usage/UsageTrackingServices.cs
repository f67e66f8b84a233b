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
        // The registered options as they are, or with the caller's changes a new instance from the options factory (the same
        // configuration, validated), so that configure never changes the registered options. The tracker copies what it keeps.
        UsageTrackingOptions options;
        if (configure is null)
        {
            options = services.GetService<IOptions<UsageTrackingOptions>>()?.Value ?? new UsageTrackingOptions();
        }
        else
        {
            options = services.GetService<IOptionsFactory<UsageTrackingOptions>>()?.Create(Options.DefaultName) ?? new UsageTrackingOptions();
            configure(options);
        }

        return (
            ledger ?? services.GetService<IUsageLedger>() ?? new UsageLedger(),
            options,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<IMeterFactory>());
    }
}
