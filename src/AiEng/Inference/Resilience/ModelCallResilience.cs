using AiEng.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace AiEng.Inference;

/// <summary>
/// The engine shared by <see cref="ResilientChatClient"/> and <see cref="ResilientEmbeddingGenerator{TInput, TEmbedding}"/>:
/// runs calls through a Polly pipeline with pooled contexts and state instead of closures, opens streams through it only
/// until their first item, and translates final failures into <see cref="ModelRequestException"/>. The pipeline is either
/// given (a model's pipeline from Polly's registry, or the application's) or built from <see cref="ResilienceOptions"/>
/// once per middleware instance (total timeout → retry → circuit breaker → attempt timeout).
/// </summary>
/// <remarks>
/// <para>
/// Fast first attempt (options only; a given pipeline is run as it is): most calls succeed at once, and while only the first attempt runs the total timeout cannot fire
/// before the attempt timeout (validation keeps <c>AttemptTimeout &lt;= TotalTimeout</c>), and the retry strategy has
/// nothing to do. So when there are retries and every attempt has a time limit (or the call has none), the first attempt
/// runs through the attempt pipeline alone (circuit breaker → attempt timeout). Only a failure continues into the retry
/// pipeline (total timeout → retry), whose callback replays that failure once
/// instead of calling the model again, then runs each retry through the same attempt pipeline (so one circuit breaker
/// sees every attempt, once). The retry strategy so sees the same outcomes in the same order as in the single pipeline:
/// the same attempt numbers, backoff, jitter, <c>Retry-After</c> delays and logs; and the total timeout is given the
/// time that remains of it since the call started. This halves the cost of a successful call.
/// </para>
/// </remarks>
internal sealed class ModelCallResilience
{
    private static readonly ResiliencePropertyKey<int> RetriesKey = ModelStrategies.RetriesKey;
    private static readonly ResiliencePropertyKey<Exception?> LastFailureKey = ModelStrategies.LastFailureKey;
    private static readonly ResiliencePropertyKey<int> AttemptsKey = new("AiEng.Resilience.Attempts");
    private static readonly ResiliencePropertyKey<Exception?> FirstFailureKey = new("AiEng.Resilience.FirstFailure");
    private static readonly ResiliencePropertyKey<long> StartTimestampKey = new("AiEng.Resilience.StartTimestamp");
    private static readonly ResiliencePropertyKey<bool> TotalTimedOutKey = new("AiEng.Resilience.TotalTimedOut");

    // Without the fast first attempt: the whole pipeline. With it: the attempt pipeline (circuit breaker → attempt timeout).
    private readonly ResiliencePipeline _pipeline;

    // With the fast first attempt: total timeout → retry, whose callback runs attempts through _pipeline; otherwise null.
    private readonly ResiliencePipeline? _retryPipeline;
    private readonly TimeSpan? _totalTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Func<Exception, bool?>? _shouldRetry;
    private readonly ModelRequestFailures _failures;

    /// <summary>Initializes a new instance of the <see cref="ModelCallResilience"/> class.</summary>
    /// <param name="options">The options, validated here, read once and not kept; <see langword="null"/> for the defaults.</param>
    /// <param name="kind">Whether the wrapped model is a chat or an embedding model.</param>
    /// <param name="providerName">The provider's name from the inner client's metadata, if any.</param>
    /// <param name="defaultModelId">The default model id from the inner client's metadata, if any.</param>
    /// <param name="timeProvider">The source of time for delays, timeouts and the circuit breaker; <see langword="null"/> for the system clock.</param>
    /// <param name="loggerFactory">Creates the logger for retries and circuit changes (never given prompts or keys), if any.</param>
    /// <param name="logCategory">The middleware type, used as the log category.</param>
    /// <exception cref="ArgumentException">A value of <paramref name="options"/> is out of range.</exception>
    public ModelCallResilience(
        ResilienceOptions? options, ModelKind kind, string? providerName, string? defaultModelId, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, Type logCategory)
    {
        options ??= new ResilienceOptions();
        options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger(logCategory) ?? NullLogger.Instance;
        _shouldRetry = options.ShouldRetry;
        _failures = new ModelRequestFailures(kind, providerName, defaultModelId, options.ConfigurationPath);
        _totalTimeout = options.TotalTimeout;

        // The first attempt may skip the total timeout only when something shorter bounds it (or nothing bounds the call).
        if (options.MaxRetryAttempts > 0 && (options.AttemptTimeout is not null || options.TotalTimeout is null))
        {
            _pipeline = BuildAttemptPipeline(new ResiliencePipelineBuilder { TimeProvider = _timeProvider }, options);
            _retryPipeline = BuildRetryPipeline(options);
        }
        else
        {
            var builder = new ResiliencePipelineBuilder { TimeProvider = _timeProvider };

            // Without retries a total timeout not shorter than the attempt timeout (validation ensures that) never fires first.
            if (options.TotalTimeout is { } total && (options.MaxRetryAttempts > 0 || options.AttemptTimeout is null))
            {
                builder.AddTimeout(new TimeoutStrategyOptions { Name = ModelStrategies.TotalTimeoutName, Timeout = total });
            }

            AddRetry(builder, options);
            _pipeline = BuildAttemptPipeline(builder, options);
        }
    }

    /// <summary>Initializes a new instance of the <see cref="ModelCallResilience"/> class around a pipeline built elsewhere (Polly's registry, the application).</summary>
    /// <param name="pipeline">The pipeline every call runs through; its strategies decide what is retried.</param>
    /// <param name="kind">Whether the wrapped model is a chat or an embedding model.</param>
    /// <param name="providerName">The provider's name from the inner client's metadata, if any.</param>
    /// <param name="defaultModelId">The default model id from the inner client's metadata, if any.</param>
    /// <param name="configurationPath">The model's configuration section, named in error messages; <see langword="null"/> for the default of <paramref name="kind"/>.</param>
    /// <param name="timeProvider">The clock for <c>Retry-After</c> HTTP-dates in error messages; <see langword="null"/> for the system clock.</param>
    public ModelCallResilience(
        ResiliencePipeline pipeline, ModelKind kind, string? providerName, string? defaultModelId, string? configurationPath, TimeProvider? timeProvider)
    {
        _pipeline = pipeline;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = NullLogger.Instance;
        _failures = new ModelRequestFailures(kind, providerName, defaultModelId, configurationPath);
    }

    /// <summary>Runs one non-streaming call through the pipeline.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <typeparam name="TState">The state passed to <paramref name="call"/>, so that it needs no closure.</typeparam>
    /// <param name="call">Makes one attempt; must honour the token it is given.</param>
    /// <param name="state">The state for <paramref name="call"/>.</param>
    /// <param name="modelId">The model id of this call, if it overrides the default.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result of the first successful attempt.</returns>
    public async Task<TResult> ExecuteAsync<TResult, TState>(Func<TState, CancellationToken, Task<TResult>> call, TState state, string? modelId, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            return await RunAsync(
                static (context, state) =>
                {
                    NoteAttempt(context);
                    return new ValueTask<TResult>(state.Call(state.State, context.CancellationToken));
                },
                context,
                (Call: call, State: state)).ConfigureAwait(false);
        }
        catch (Exception exception) when (Translate(exception, context, modelId, cancellationToken) is { } translated)
        {
            throw translated;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Runs one non-streaming call through a typed pipeline (hedging, fallback, any strategy of Polly's
    /// <see cref="ResiliencePipelineBuilder{TResult}"/>) around this instance's pipeline: each attempt the typed pipeline
    /// makes (a hedged attempt, a retry) runs through this instance's pipeline (its retries, timeouts and circuit breaker).
    /// </summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <typeparam name="TState">The state passed to <paramref name="call"/>, so that it needs no closure.</typeparam>
    /// <param name="outer">The typed pipeline.</param>
    /// <param name="describe">Puts the call's request in the context's properties (<see cref="ModelResilienceProperties"/>) for the typed pipeline's strategies.</param>
    /// <param name="call">Makes one attempt; must honour the token it is given.</param>
    /// <param name="state">The state for <paramref name="call"/>.</param>
    /// <param name="modelId">The model id of this call, if it overrides the default.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The typed pipeline's result: an attempt's response or what a fallback produced.</returns>
    /// <remarks>
    /// The callback may run several times and concurrently (hedging): every attempt gets the <see cref="ResilienceContext"/>
    /// the typed pipeline gives it, and the inner call only ever sees that context's token, so a hedged attempt that loses
    /// is cancelled on its own; the call's arguments are only read.
    /// </remarks>
    public async Task<TResult> ExecuteAsync<TResult, TState>(
        ResiliencePipeline<TResult> outer,
        Action<ResilienceProperties, TState> describe,
        Func<TState, CancellationToken, Task<TResult>> call,
        TState state,
        string? modelId,
        CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            describe(context.Properties, state);
            return await outer.ExecuteAsync(
                static (attemptContext, state) => state.Self.RunAsync(
                    static (context, state) =>
                    {
                        NoteAttempt(context);
                        return new ValueTask<TResult>(state.Call(state.State, context.CancellationToken));
                    },
                    attemptContext,
                    (state.Call, state.State)),
                context,
                (Self: this, Call: call, State: state)).ConfigureAwait(false);
        }
        catch (Exception exception) when (Translate(exception, context, modelId, cancellationToken) is { } translated)
        {
            throw translated;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Opens a stream through the pipeline and waits for its first item, retrying failures until then. The returned
    /// enumerator is bound to a token linked only to the caller's, so it outlives the pipeline's timeouts.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TState">The state passed to <paramref name="open"/>.</typeparam>
    /// <param name="open">Starts the stream with the given token.</param>
    /// <param name="state">The state for <paramref name="open"/>.</param>
    /// <param name="modelId">The model id of this call, if it overrides the default.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The open stream, positioned on its first item if it has one; the caller disposes it.</returns>
    public async Task<StartedStream<T>> StartStreamAsync<T, TState>(Func<TState, CancellationToken, IAsyncEnumerable<T>> open, TState state, string? modelId, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            return await RunAsync(
                static (context, state) =>
                {
                    NoteAttempt(context);
                    return StartAttemptAsync(state.Open, state.State, context.CancellationToken, state.CallerToken);
                },
                context,
                (Open: open, State: state, CallerToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception exception) when (Translate(exception, context, modelId, cancellationToken) is { } translated)
        {
            throw translated;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// The failure of a stream after its first update, as a <see cref="ModelRequestException"/> that names the provider and
    /// model; <see langword="null"/> for a failure that is not the connection's (cancellation by the caller, AiEng's own errors).
    /// </summary>
    /// <param name="exception">The failure of the stream's enumerator.</param>
    /// <param name="modelId">The model id of this call, if it overrides the default.</param>
    /// <param name="updates">The updates received before it.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public ModelRequestException? StreamBroken(Exception exception, string? modelId, int updates, CancellationToken cancellationToken) =>
        exception is IOException or HttpRequestException or TimeoutException && !cancellationToken.IsCancellationRequested
            ? _failures.StreamBroken(exception, modelId, updates)
            : null;

    /// <summary>Runs a call: the first attempt alone when possible, and the retry pipeline only after a retryable failure.</summary>
    private ValueTask<TResult> RunAsync<TResult, TState>(Func<ResilienceContext, TState, ValueTask<TResult>> attempt, ResilienceContext context, TState state)
    {
        if (_retryPipeline is null)
        {
            return _pipeline.ExecuteAsync(attempt, context, state);
        }

        long start = _totalTimeout is null ? 0 : _timeProvider.GetTimestamp();
        var first = _pipeline.ExecuteAsync(attempt, context, state);
        return first.IsCompletedSuccessfully ? first : RetryAsync(first, start, attempt, context, state);
    }

    /// <summary>
    /// Awaits the first attempt and, after a failure, hands it to the retry pipeline, whose retry strategy decides as in the
    /// single pipeline (so <see cref="ResilienceOptions.ShouldRetry"/> is asked as often as before). A cancellation by the
    /// caller propagates at once, as the single pipeline would let it.
    /// </summary>
    private async ValueTask<TResult> RetryAsync<TResult, TState>(
        ValueTask<TResult> first, long start, Func<ResilienceContext, TState, ValueTask<TResult>> attempt, ResilienceContext context, TState state)
    {
        try
        {
            return await first.ConfigureAwait(false);
        }
        catch (Exception exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            context.Properties.Set(FirstFailureKey, exception);
            context.Properties.Set(StartTimestampKey, start);
        }

        return await _retryPipeline!.ExecuteAsync(
            static (context, state) =>
            {
                // The retry strategy's first outcome is the failure of the attempt that already ran.
                if (context.Properties.TryGetValue(FirstFailureKey, out var firstFailure) && firstFailure is not null)
                {
                    context.Properties.Set(FirstFailureKey, null);
                    return ValueTask.FromException<TResult>(firstFailure);
                }

                return state.Attempts.ExecuteAsync(state.Attempt, context, state.State);
            },
            context,
            (Attempts: _pipeline, Attempt: attempt, State: state)).ConfigureAwait(false);
    }

    private static async ValueTask<StartedStream<T>> StartAttemptAsync<T, TState>(
        Func<TState, CancellationToken, IAsyncEnumerable<T>> open, TState state, CancellationToken attemptToken, CancellationToken callerToken)
    {
        // The stream must keep working after the pipeline (and its pooled timeout token sources) is done with this call,
        // so it gets its own source linked to the caller's token; the attempt's token cancels it only until the first item.
        var source = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        IAsyncEnumerator<T>? enumerator = null;
        try
        {
            bool hasItem;
            using (attemptToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source))
            {
                enumerator = open(state, source.Token).GetAsyncEnumerator(source.Token);
                hasItem = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }

            // A timeout that fired just after the first item arrived has cancelled the source: treat it as this attempt's timeout.
            if (source.IsCancellationRequested)
            {
                attemptToken.ThrowIfCancellationRequested();
                callerToken.ThrowIfCancellationRequested();
            }

            return new StartedStream<T>(enumerator, hasItem, source);
        }
        catch
        {
            if (enumerator is not null)
            {
                await DisposeQuietlyAsync(enumerator).ConfigureAwait(false);
            }

            source.Dispose();
            throw;
        }
    }

    private static async ValueTask DisposeQuietlyAsync<T>(IAsyncEnumerator<T> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The attempt's own failure is what matters; a failure to clean up must not hide it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// Counts attempts for error messages without touching the context on the success path: <c>OnRetry</c> records how
    /// many attempts ran before each retry, and an attempt that starts after a retry records itself.
    /// </summary>
    private static void NoteAttempt(ResilienceContext context)
    {
        if (context.Properties.TryGetValue(RetriesKey, out var retries))
        {
            context.Properties.Set(AttemptsKey, retries + 1);
        }
    }

    /// <summary>Gets how many attempts ran: 0 when the circuit rejected the first one.</summary>
    private static int CountAttempts(ResilienceContext context, Exception exception) =>
        context.Properties.TryGetValue(AttemptsKey, out var attempts) ? attempts
        : context.Properties.TryGetValue(RetriesKey, out var retries) ? retries
        : exception is BrokenCircuitException ? 0
        : 1;

    /// <summary>Builds the pipeline of the retries after a fast first attempt: total timeout (what remains of it) → retry.</summary>
    private ResiliencePipeline BuildRetryPipeline(ResilienceOptions options)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _timeProvider };
        if (options.TotalTimeout is { } total)
        {
            builder.AddTimeout(new TimeoutStrategyOptions
            {
                Name = ModelStrategies.TotalTimeoutName,
                Timeout = total,
                TimeoutGenerator = args => new ValueTask<TimeSpan>(GetRemainingTime(args.Context, total)),
                OnTimeout = args =>
                {
                    args.Context.Properties.Set(TotalTimedOutKey, true);
                    return default;
                },
            });
        }

        AddRetry(builder, options);
        return builder.Build();
    }

    /// <summary>Gets the time left of the total timeout of a call whose first attempt has run; at least one tick, so that it still applies.</summary>
    private TimeSpan GetRemainingTime(ResilienceContext context, TimeSpan total)
    {
        var remaining = total - _timeProvider.GetElapsedTime(context.Properties.GetValue(StartTimestampKey, 0L));
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.FromTicks(1);
    }

    private void AddRetry(ResiliencePipelineBuilder builder, ResilienceOptions options) =>
        ModelStrategies.AddRetry(builder, options, _timeProvider, LogRetry);

    private void LogRetry(Exception? exception, int attemptNumber, TimeSpan delay)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            ResilienceLog.Retrying(_logger, _failures.Kind, _failures.ProviderName, _failures.DefaultModelId, attemptNumber + 1, ModelRequestFailures.Describe(exception), delay);
        }
    }

    /// <summary>Adds what bounds each attempt (circuit breaker → attempt timeout) and builds the pipeline.</summary>
    private ResiliencePipeline BuildAttemptPipeline(ResiliencePipelineBuilder builder, ResilienceOptions options)
    {
        ModelStrategies.AddAttemptStrategies(
            builder,
            options,
            breakDuration => ResilienceLog.CircuitOpened(_logger, _failures.Kind, _failures.ProviderName, _failures.DefaultModelId, breakDuration),
            () => ResilienceLog.CircuitClosed(_logger, _failures.Kind, _failures.ProviderName, _failures.DefaultModelId));
        return builder.Build();
    }

    private bool IsRetryable(Exception exception) => ModelStrategies.IsRetryable(exception, _shouldRetry);

    /// <summary>Turns the final failure of a call into the exception to throw, or <see langword="null"/> to rethrow it unchanged.</summary>
    private ModelRequestException? Translate(Exception exception, ResilienceContext context, string? modelId, CancellationToken cancellationToken)
    {
        // A ModelRequestException comes from another resilience middleware further in (UseResilience called twice): it
        // already says what happened, so it propagates as it is.
        if (cancellationToken.IsCancellationRequested || exception is ModelRequestException)
        {
            return null;
        }

        var attempts = CountAttempts(context, exception);
        context.Properties.TryGetValue(LastFailureKey, out var lastFailure);
        return exception switch
        {
            BrokenCircuitException broken => _failures.CircuitOpen(broken, modelId, attempts),
            TimeoutRejectedException timeout => _failures.TimedOut(
                timeout, context.Properties.GetValue(TotalTimedOutKey, false) ? _totalTimeout!.Value : timeout.Timeout, modelId, attempts, lastFailure),
            _ when IsRetryable(exception) => _failures.Exhausted(exception, modelId, attempts, ModelFailures.GetRetryAfter(exception, _timeProvider.GetUtcNow())),
            _ when ModelFailures.GetStatusCode(exception) is { } status => _failures.Rejected(exception, status, modelId, attempts),
            _ => null,
        };
    }
}
