using System.ClientModel;
using System.Globalization;
using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace AiEng.Inference;

/// <summary>
/// The one place that decides which failures of a model call are transient (worth retrying), which HTTP status an
/// exception carries and how long the provider asked us to wait (<c>Retry-After</c>).
/// </summary>
/// <remarks>
/// Recognised shapes: <see cref="ClientResultException"/> (OpenAI and Azure clients; <c>Status</c> 0 means no response),
/// <see cref="HttpRequestException"/> (<c>StatusCode</c> <see langword="null"/> means a connection failure),
/// <see cref="TimeoutException"/>, Polly's <see cref="TimeoutRejectedException"/>, <see cref="IOException"/> (including
/// <c>HttpIOException</c>), <see cref="SocketException"/>, and <see cref="OperationCanceledException"/>. Whether a
/// cancellation came from the caller is decided by the caller of this type, which knows the caller's token.
/// </remarks>
internal static class TransientFailures
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
    public static bool IsTransient(Exception exception)
    {
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

    /// <summary>Gets the HTTP status carried by <paramref name="exception"/> (or an inner exception), if a response was received.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The status code, or <see langword="null"/> when there was no response or the exception carries none.</returns>
    public static int? GetStatusCode(Exception exception)
    {
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
    public static bool IsConnectionFailure(Exception exception)
    {
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
    public static TimeSpan? GetRetryAfter(Exception exception, DateTimeOffset now)
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

        if ((headers.TryGetValue("retry-after-ms", out var milliseconds) || headers.TryGetValue("x-ms-retry-after-ms", out milliseconds))
            && double.TryParse(milliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 && double.IsFinite(ms))
        {
            return TimeSpan.FromMilliseconds(Math.Min(ms, TimeSpan.MaxValue.TotalMilliseconds / 2));
        }

        return headers.TryGetValue("Retry-After", out var retryAfter) ? ParseRetryAfter(retryAfter, now) : null;
    }

    /// <summary>Parses a <c>Retry-After</c> value: delta-seconds or an HTTP-date (RFC 9110 section 10.2.3).</summary>
    /// <param name="value">The header value.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The delay (never negative), or <see langword="null"/> when the value is not valid.</returns>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
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
