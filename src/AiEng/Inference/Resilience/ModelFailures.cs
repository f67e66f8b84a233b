using System.ClientModel;
using System.Globalization;
using System.Net.Sockets;
using AiEng.Shared;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace AiEng.Inference;

/// <summary>
/// The failure classification of AiEng's resilience, public so that your own Polly strategies (a retry of your own,
/// hedging or fallback in a typed pipeline) can reuse it: which failures of a model call are transient (worth retrying), which HTTP status an
/// exception carries, and how long the provider asked to wait (<c>Retry-After</c>).
/// </summary>
/// <remarks>
/// <para>
/// Recognised shapes: <see cref="ClientResultException"/> (OpenAI and Azure clients; <c>Status</c> 0 means no response),
/// <see cref="HttpRequestException"/> (<c>StatusCode</c> <see langword="null"/> means a connection failure),
/// <see cref="TimeoutException"/>, Polly's <see cref="TimeoutRejectedException"/>, <see cref="IOException"/> (including
/// <c>HttpIOException</c>, a dropped connection), <see cref="SocketException"/>, and <see cref="OperationCanceledException"/>.
/// Inner exceptions are searched up to four levels deep.
/// </para>
/// <para>
/// <see cref="IsTransient(Exception)"/> treats every cancellation as transient (an <see cref="HttpClient"/> timeout is a
/// <see cref="TaskCanceledException"/>); <see cref="ShouldHandle{TResult}(Outcome{TResult}, ResilienceContext)"/> also
/// knows the caller's token and never handles a cancellation the caller asked for. Use the latter in strategies.
/// </para>
/// <para>
/// Streaming is not a predicate: the resilience middleware runs a streaming call through the untyped pipeline only until
/// the first update, so a retry may repeat an attempt only before the caller has seen output; typed pipelines (hedging,
/// fallback) run only the non-streaming calls.
/// </para>
/// <para>
/// The predicates take an <see cref="Outcome{TResult}"/> of any result type, so they fit untyped strategies and the typed
/// ones of a <c>ResiliencePipelineBuilder&lt;ChatResponse&gt;</c> or
/// <c>ResiliencePipelineBuilder&lt;GeneratedEmbeddings&lt;Embedding&lt;float&gt;&gt;&gt;</c> alike.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// builder.AddRetry(new RetryStrategyOptions
/// {
///     ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context),
///     DelayGenerator = args => new(ModelFailures.TryGetRetryAfter(args.Outcome.Exception, TimeProvider.System.GetUtcNow(), out var wait) ? wait : null),
/// });
///
/// new ResiliencePipelineBuilder&lt;ChatResponse&gt;()
///     .AddFallback(new FallbackStrategyOptions&lt;ChatResponse&gt;
///     {
///         ShouldHandle = args => ModelFailures.ShouldFallBack(args.Outcome, args.Context),
///         FallbackAction = async args => Outcome.FromResult(await backupClient.GetResponseAsync("...", cancellationToken: args.Context.CancellationToken)),
///     })
///     .AddHedging(new HedgingStrategyOptions&lt;ChatResponse&gt;
///     {
///         ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context),
///         Delay = TimeSpan.FromSeconds(3),
///     });
/// </code>
/// </example>
public static class ModelFailures
{
    /// <summary>How deep to look through inner exceptions for a recognised failure.</summary>
    private const int MaxDepth = 4;

    /// <summary>The HTTP-date formats of RFC 9110 section 5.6.7: IMF-fixdate, then the obsolete RFC 850 and asctime forms.</summary>
    private static readonly string[] HttpDateFormats = ["r", "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy"];

    /// <summary>Gets a value indicating whether <paramref name="status"/> is an HTTP status worth retrying: 408, 429 and 5xx except 501 and 505.</summary>
    /// <param name="status">The HTTP status code.</param>
    /// <returns><see langword="true"/> when a later attempt may succeed.</returns>
    public static bool IsTransientStatus(int status) =>
        status is 408 or 429 || (status is >= 500 and <= 599 && status is not 501 and not 505);

    /// <summary>
    /// Gets a value indicating whether <paramref name="exception"/> is a transient failure: a retryable HTTP status, no
    /// response at all (connection failure), a timeout, an I/O or socket error, or a cancellation (the caller screens out
    /// cancellations requested through its own token).
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> when a later attempt may succeed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public static bool IsTransient(Exception exception)
    {
        Throw.IfNull(exception);
        for (var (current, depth) = (exception, 0); current is not null && depth < MaxDepth; current = current.InnerException, depth++)
        {
            switch (current)
            {
                case BrokenCircuitException:
                    return false; // the circuit is open: retrying at once is what it exists to prevent
                case ClientResultException clientResult:
                    return clientResult.Status == 0 || IsTransientStatus(clientResult.Status);
                case HttpRequestException http:
                    return http.StatusCode is not { } code || IsTransientStatus((int)code);
                case TimeoutRejectedException or TimeoutException or IOException or SocketException or OperationCanceledException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Decides whether a strategy should handle an outcome of a model call: a transient failure (see
    /// <see cref="IsTransient(Exception)"/>) that is neither a cancellation requested through the context's token (the
    /// caller's, or the end of the call) nor a call rejected by an open circuit. Successful outcomes are not handled.
    /// </summary>
    /// <typeparam name="TResult">The result type of the outcome.</typeparam>
    /// <param name="outcome">The outcome of an attempt.</param>
    /// <param name="context">The resilience context of the call.</param>
    /// <returns><see langword="true"/> to handle (retry, hedge, fall back, count as a failure).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <remarks>Fits the <c>ShouldHandle</c> of Polly's retry, hedging, fallback and circuit breaker options.</remarks>
    public static ValueTask<bool> ShouldHandle<TResult>(Outcome<TResult> outcome, ResilienceContext context)
    {
        Throw.IfNull(context);
        return new ValueTask<bool>(outcome.Exception is { } exception && !context.CancellationToken.IsCancellationRequested && IsTransient(exception));
    }

    /// <summary>
    /// Decides whether a fallback should answer instead of the model: what <see cref="ShouldHandle{TResult}(Outcome{TResult}, ResilienceContext)"/>
    /// handles (a transient failure that the caller did not cancel, also after the last retry or at a timeout), and calls
    /// rejected by an open circuit breaker, which another model can still answer. Client errors (4xx other than 408 and
    /// 429) and successful outcomes are not handled.
    /// </summary>
    /// <typeparam name="TResult">The result type of the outcome.</typeparam>
    /// <param name="outcome">The outcome of the call.</param>
    /// <param name="context">The resilience context of the call.</param>
    /// <returns><see langword="true"/> to fall back.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <remarks>Fits the <c>ShouldHandle</c> of Polly's <c>FallbackStrategyOptions&lt;TResult&gt;</c>.</remarks>
    public static ValueTask<bool> ShouldFallBack<TResult>(Outcome<TResult> outcome, ResilienceContext context)
    {
        Throw.IfNull(context);
        return new ValueTask<bool>(
            outcome.Exception is { } exception && !context.CancellationToken.IsCancellationRequested && (IsTransient(exception) || IsOpenCircuit(exception)));
    }

    /// <summary>
    /// Makes a Polly <see cref="PredicateBuilder"/> handle the transient failures of model calls
    /// (<see cref="IsTransient(Exception)"/>), for strategies configured with <c>new PredicateBuilder()</c>.
    /// </summary>
    /// <param name="builder">The predicate builder.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// A <see cref="PredicateBuilder"/> does not see the caller's token, so a cancellation is handled like any other
    /// transient failure; Polly's retry and hedging stop anyway once that token is cancelled. Prefer
    /// <see cref="ShouldHandle{TResult}(Outcome{TResult}, ResilienceContext)"/> where a delegate is accepted.
    /// </remarks>
    public static PredicateBuilder HandleTransientModelFailures(this PredicateBuilder builder)
    {
        Throw.IfNull(builder);
        builder.Handle<Exception>(IsTransient);
        return builder;
    }

    /// <summary>
    /// Makes a typed Polly <see cref="PredicateBuilder{TResult}"/> handle the transient failures of model calls
    /// (<see cref="IsTransient(Exception)"/>), for typed strategies (hedging, fallback, retry of a
    /// <c>ResiliencePipelineBuilder&lt;ChatResponse&gt;</c>) configured with <c>new PredicateBuilder&lt;ChatResponse&gt;()</c>.
    /// </summary>
    /// <typeparam name="TResult">The result type of the strategies.</typeparam>
    /// <param name="builder">The predicate builder.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// As with the untyped overload, the builder does not see the caller's token; prefer
    /// <see cref="ShouldHandle{TResult}(Outcome{TResult}, ResilienceContext)"/> where a delegate is accepted.
    /// </remarks>
    public static PredicateBuilder<TResult> HandleTransientModelFailures<TResult>(this PredicateBuilder<TResult> builder)
    {
        Throw.IfNull(builder);
        return builder.Handle<Exception>(IsTransient);
    }

    /// <summary>Gets a value indicating whether <paramref name="exception"/> (or an inner exception) is a call rejected by an open circuit breaker.</summary>
    private static bool IsOpenCircuit(Exception exception)
    {
        for (var (current, depth) = (exception, 0); current is not null && depth < MaxDepth; current = current.InnerException, depth++)
        {
            if (current is BrokenCircuitException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets the HTTP status carried by <paramref name="exception"/> (or an inner exception), if a response was received.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The status code, or <see langword="null"/> when there was no response or the exception carries none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public static int? GetStatusCode(Exception exception)
    {
        Throw.IfNull(exception);
        for (var (current, depth) = (exception, 0); current is not null && depth < MaxDepth; current = current.InnerException, depth++)
        {
            switch (current)
            {
                case ClientResultException clientResult:
                    return clientResult.Status == 0 ? null : clientResult.Status;
                case HttpRequestException http:
                    return http.StatusCode is { } code ? (int)code : null;
            }
        }

        return null;
    }

    /// <summary>Gets a value indicating whether <paramref name="exception"/> means that no response was received (a connection failure).</summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> for connection, socket and I/O failures.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public static bool IsConnectionFailure(Exception exception)
    {
        Throw.IfNull(exception);
        for (var (current, depth) = (exception, 0); current is not null && depth < MaxDepth; current = current.InnerException, depth++)
        {
            switch (current)
            {
                case HttpRequestException http when http.StatusCode is null:
                case SocketException or IOException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Gets the delay the provider asked for before the next attempt, from the response headers of a
    /// <see cref="ClientResultException"/>: <c>retry-after-ms</c> (sent by OpenAI), <c>x-ms-retry-after-ms</c> (Azure),
    /// then <c>Retry-After</c> as delta-seconds or as an HTTP-date relative to <paramref name="now"/>.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <param name="now">The current time, from the injected <see cref="TimeProvider"/>.</param>
    /// <returns>The requested delay (never negative), or <see langword="null"/> when no usable header was sent.</returns>
    internal static TimeSpan? GetRetryAfter(Exception exception, DateTimeOffset now)
    {
        ClientResultException? clientResult = null;
        for (var (current, depth) = (exception, 0); current is not null && depth < MaxDepth && clientResult is null; current = current.InnerException, depth++)
        {
            clientResult = current as ClientResultException;
        }

        if (clientResult?.GetRawResponse()?.Headers is not { } headers)
        {
            return null;
        }

        return GetRetryAfter(name => headers.TryGetValue(name, out var value) ? value : null, now);
    }

    /// <summary>
    /// Gets the delay a response's headers ask for: <c>retry-after-ms</c> (sent by OpenAI), <c>x-ms-retry-after-ms</c>
    /// (Azure), then <c>Retry-After</c> as delta-seconds or as an HTTP-date relative to <paramref name="now"/>.
    /// </summary>
    /// <param name="getHeader">Returns a header's value by its (case-insensitive) name, or <see langword="null"/>.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The requested delay (never negative), or <see langword="null"/> when no usable header was sent.</returns>
    internal static TimeSpan? GetRetryAfter(Func<string, string?> getHeader, DateTimeOffset now)
    {
        string? milliseconds = getHeader("retry-after-ms") ?? getHeader("x-ms-retry-after-ms");
        if (double.TryParse(milliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 && double.IsFinite(ms))
        {
            return TimeSpan.FromMilliseconds(Math.Min(ms, TimeSpan.MaxValue.TotalMilliseconds / 2));
        }

        return ParseRetryAfter(getHeader("Retry-After"), now);
    }

    /// <summary>
    /// Gets the delay the provider asked for before the next attempt (<c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c>,
    /// then <c>Retry-After</c> as delta-seconds or an HTTP-date), exactly as sent: no jitter and no cap.
    /// </summary>
    /// <param name="exception">The failure, or <see langword="null"/> (a successful outcome).</param>
    /// <param name="now">The current time, used for an HTTP-date; pass your <see cref="TimeProvider"/>'s <c>GetUtcNow()</c>.</param>
    /// <param name="delay">The requested delay (never negative) when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when the response carried a usable header.</returns>
    public static bool TryGetRetryAfter(Exception? exception, DateTimeOffset now, out TimeSpan delay)
    {
        if (exception is not null && GetRetryAfter(exception, now) is { } requested)
        {
            delay = requested;
            return true;
        }

        delay = default;
        return false;
    }

    /// <summary>Parses a <c>Retry-After</c> value: delta-seconds or an HTTP-date (RFC 9110 section 10.2.3).</summary>
    /// <param name="value">The header value.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The delay (never negative), or <see langword="null"/> when the value is not valid.</returns>
    internal static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds / 2));
        }

        if (DateTimeOffset.TryParseExact(value, HttpDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowInnerWhite, out var date))
        {
            var delay = date - now;
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }

        return null;
    }
}
