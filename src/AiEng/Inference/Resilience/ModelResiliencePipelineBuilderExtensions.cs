using AiEng.Inference;
using AiEng.Shared;
using Polly.Timeout;

namespace Polly;

/// <summary>Adds AiEng's model-call strategies to a Polly <see cref="ResiliencePipelineBuilder"/>.</summary>
public static class ModelResiliencePipelineBuilderExtensions
{
    /// <summary>
    /// Adds the strategies AiEng puts in every model's pipeline, configured by <paramref name="options"/>, in this order:
    /// total timeout → retry (exponential backoff, jitter, the provider's <c>Retry-After</c> used exactly) → circuit
    /// breaker → attempt timeout. Failures are classified by <see cref="ModelFailures"/> (or
    /// <see cref="ResilienceOptions.ShouldRetry"/>). Strategies you add before this call sit outside them, those you add after
    /// it sit inside (around each attempt).
    /// </summary>
    /// <param name="builder">The builder, for example the one <c>services.AddResiliencePipeline(key, (builder, context) => ...)</c> passes.</param>
    /// <param name="options">The options, validated and read here (not kept); <c>context.GetOptions&lt;ResilienceOptions&gt;()</c> gives those bound from <c>AiEng:Resilience</c>.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value of <paramref name="options"/> is out of range; the message names it and the allowed range.</exception>
    /// <remarks>
    /// The strategies are named <c>AiEng.TotalTimeout</c>, <c>AiEng.Retry</c>, <c>AiEng.CircuitBreaker</c> and
    /// <c>AiEng.AttemptTimeout</c> in Polly's telemetry. <c>Retry-After</c> HTTP-dates are read with the builder's
    /// <see cref="ResiliencePipelineBuilderBase.TimeProvider"/>.
    /// </remarks>
    public static ResiliencePipelineBuilder AddModelResilience(this ResiliencePipelineBuilder builder, ResilienceOptions options)
    {
        Throw.IfNull(builder);
        Throw.IfNull(options);
        // Every value is read here, while the strategies are built; none of them keeps the options.
        options.Validate();

        if (options.TotalTimeout is { } total)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Name = ModelStrategies.TotalTimeoutName, Timeout = total });
        }

        ModelStrategies.AddRetry(builder, options, builder.TimeProvider ?? TimeProvider.System, log: null);
        ModelStrategies.AddAttemptStrategies(builder, options, opened: null, closed: null);
        return builder;
    }
}
