using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace AiEng.Inference;

/// <summary>
/// The strategies of AiEng's model-call pipeline, shared by the pipelines registered in Polly's registry
/// (<see cref="ModelResiliencePipelineBuilderExtensions.AddModelResilience"/>) and by the middleware built from options
/// alone: the retry with exact <c>Retry-After</c>, the circuit breaker and the timeouts, all classifying failures with
/// <see cref="ModelFailures"/>.
/// </summary>
internal static class ModelStrategies
{
    /// <summary>How many retries the retry strategy has started in this call (set by its <c>OnRetry</c>).</summary>
    public static readonly ResiliencePropertyKey<int> RetriesKey = new("AiEng.Resilience.Retries");

    /// <summary>The failure that the last retry followed (set by its <c>OnRetry</c>).</summary>
    public static readonly ResiliencePropertyKey<Exception?> LastFailureKey = new("AiEng.Resilience.LastFailure");

    /// <summary>The name of the total timeout strategy.</summary>
    public const string TotalTimeoutName = "AiEng.TotalTimeout";

    /// <summary>Adds the retry strategy, unless <see cref="ResilienceOptions.MaxRetryAttempts"/> is 0.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="timeProvider">The clock for <c>Retry-After</c> HTTP-dates.</param>
    /// <param name="log">Called on each retry with the failure, the 0-based attempt number and the delay; optional.</param>
    public static void AddRetry(ResiliencePipelineBuilder builder, ResilienceOptions options, TimeProvider timeProvider, Action<Exception?, int, TimeSpan>? log)
    {
        if (options.MaxRetryAttempts == 0)
        {
            return;
        }

        var shouldRetry = options.ShouldRetry;
        var maxDelay = options.MaxDelay;
        var retry = new RetryStrategyOptions
        {
            Name = "AiEng.Retry",
            MaxRetryAttempts = options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            UseJitter = options.UseJitter,
            ShouldHandle = args => new ValueTask<bool>(ShouldHandle(args.Outcome.Exception, args.Context.CancellationToken, shouldRetry)),
            DelayGenerator = args => new ValueTask<TimeSpan?>(GetProviderDelay(args.Outcome.Exception, timeProvider, maxDelay)),
            OnRetry = args =>
            {
                args.Context.Properties.Set(RetriesKey, args.AttemptNumber + 1);
                args.Context.Properties.Set(LastFailureKey, args.Outcome.Exception);
                log?.Invoke(args.Outcome.Exception, args.AttemptNumber, args.RetryDelay);
                return default;
            },
        };
        if (options.Randomizer is { } randomizer)
        {
            retry.Randomizer = randomizer;
        }

        builder.AddRetry(retry);
    }

    /// <summary>Adds what bounds each attempt: the circuit breaker (when enabled), then the attempt timeout (when set).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="opened">Called with the break duration when the circuit opens; optional.</param>
    /// <param name="closed">Called when the circuit closes; optional.</param>
    public static void AddAttemptStrategies(ResiliencePipelineBuilder builder, ResilienceOptions options, Action<TimeSpan>? opened, Action? closed)
    {
        // Order as in Microsoft.Extensions.Http.Resilience's standard pipeline: the total timeout bounds everything, the
        // circuit breaker sees every attempt, and the attempt timeout turns a hung attempt into a retryable failure.
        var breaker = options.CircuitBreaker;
        if (breaker.Enabled)
        {
            var shouldRetry = options.ShouldRetry;
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                Name = "AiEng.CircuitBreaker",
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = args => new ValueTask<bool>(ShouldHandle(args.Outcome.Exception, args.Context.CancellationToken, shouldRetry)),
                OnOpened = args =>
                {
                    opened?.Invoke(args.BreakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    closed?.Invoke();
                    return default;
                },
            });
        }

        if (options.AttemptTimeout is { } attempt)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Name = "AiEng.AttemptTimeout", Timeout = attempt });
        }
    }

    /// <summary>Decides whether a failed attempt is retried and counted by the circuit breaker.</summary>
    /// <param name="exception">The attempt's failure, or <see langword="null"/> on success.</param>
    /// <param name="token">
    /// The token in force around the attempt: it is linked to the caller's token and to the total timeout, so when it is
    /// cancelled the failure is the caller's cancellation (or the end of the call), never a transient failure.
    /// </param>
    /// <param name="shouldRetry">The application's override, if any.</param>
    /// <returns><see langword="true"/> to retry.</returns>
    public static bool ShouldHandle(Exception? exception, CancellationToken token, Func<Exception, bool?>? shouldRetry) =>
        exception is not null && !token.IsCancellationRequested && IsRetryable(exception, shouldRetry);

    /// <summary>Gets a value indicating whether <paramref name="exception"/> is retried, ignoring cancellation.</summary>
    public static bool IsRetryable(Exception exception, Func<Exception, bool?>? shouldRetry) =>
        exception is not BrokenCircuitException && (shouldRetry?.Invoke(exception) ?? ModelFailures.IsTransient(exception));

    private static TimeSpan? GetProviderDelay(Exception? exception, TimeProvider timeProvider, TimeSpan maxDelay) =>
        exception is not null && ModelFailures.GetRetryAfter(exception, timeProvider.GetUtcNow()) is { } delay
            ? (delay < maxDelay ? delay : maxDelay)
            : null;
}
