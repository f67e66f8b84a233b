using AiEng.FineTuning;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="FineTuningJobRunner"/>, which uploads data sets and follows fine-tuning jobs.</summary>
public static class FineTuningJobsAiEngBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="FineTuningJobRunner"/> on the application's <see cref="IFineTuningClient"/> (add one with a
    /// provider's call, such as <c>AddOpenAIFineTuning()</c>), with <see cref="FineTuningJobRunnerOptions"/> bound from
    /// <c>AiEng:FineTuning:Jobs</c> and checked when the host starts, the container's <see cref="TimeProvider"/> if it has
    /// one, and the polling pipeline the application registered in Polly's registry under
    /// <see cref="FineTuningJobRunner.ResiliencePipelineKey"/> (<c>aieng:fine-tuning</c>), if any. Adding it twice has no
    /// further effect.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="configure">Sets the options in code, after configuration; <see langword="null"/> for configuration only.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AiEngBuilder AddFineTuningJobs(this AiEngBuilder builder, Action<FineTuningJobRunnerOptions>? configure = null)
    {
        Throw.IfNull(builder);
        var options = builder.AddOptions<FineTuningJobRunnerOptions, FineTuningJobRunnerOptionsAnnotationValidator>(FineTuningJobRunnerOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddSingleton(services =>
        {
            var client = services.GetService<IFineTuningClient>()
                ?? throw new InvalidOperationException("FineTuningJobRunner needs an IFineTuningClient: add a provider's, for example services.AddAiEng(configuration).AddOpenAIFineTuning().AddFineTuningJobs() (package AiEng.OpenAI).");
            ResiliencePipeline? pipeline = null;
            if (services.GetService<ResiliencePipelineRegistry<string>>() is { } registry && registry.TryGetPipeline(FineTuningJobRunner.ResiliencePipelineKey, out var registered))
            {
                pipeline = registered;
            }

            return new FineTuningJobRunner(client, services.GetRequiredService<IOptions<FineTuningJobRunnerOptions>>().Value, services.GetService<TimeProvider>(), pipeline);
        });
        return builder;
    }
}
