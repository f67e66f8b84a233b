namespace AiEng.Testing;

/// <summary>
/// A fault that <see cref="OpenAITestServer"/> injects into the next matching request: an HTTP error status (optionally
/// with <c>Retry-After</c>), a delay before answering, a dropped connection, or a stream that breaks after some chunks.
/// Enqueue it with <see cref="OpenAITestServer.EnqueueFault"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Delay"/> combines with every other kind: the server waits first, then fails (or answers normally when nothing
/// else is set). Set at most one of <see cref="StatusCode"/>, <see cref="DropConnection"/> and
/// <see cref="BreakStreamAfterChunks"/>.
/// </para>
/// <para>
/// Clients with their own retry policy (the official OpenAI client retries 429 and 5xx three times by default) consume one
/// fault per attempt. To observe a fault as-is, disable the client's retries, for example with
/// <c>new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(maxRetries: 0) }</c>.
/// </para>
/// </remarks>
public sealed class OpenAITestFault
{
    /// <summary>Gets the HTTP status code to answer with (400-599), or <see langword="null"/> for no error status.</summary>
    public int? StatusCode { get; init; }

    /// <summary>
    /// Gets the value of the <c>Retry-After</c> header sent with <see cref="StatusCode"/>, or <see langword="null"/> to send none.
    /// The header carries whole seconds, rounded up.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the <c>error.message</c> of the OpenAI-style error body; by default a message that names the status code.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Gets the <c>error.type</c> of the error body; by default the type OpenAI uses for the status code, for example <c>requests</c> for 429.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets the <c>error.code</c> of the error body; by default the code OpenAI uses for the status code, for example <c>rate_limit_exceeded</c> for 429.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets how long the server waits before it answers or fails. The default is <see cref="TimeSpan.Zero"/>.</summary>
    /// <remarks>The wait uses <see cref="OpenAITestServerOptions.TimeProvider"/>; with the system clock it is a real wait, so keep it short.</remarks>
    public TimeSpan Delay { get; init; }

    /// <summary>Gets a value indicating whether the server aborts the connection without sending a response.</summary>
    public bool DropConnection { get; init; }

    /// <summary>
    /// Gets the number of server-sent events after which a streaming chat response is cut off by aborting the connection
    /// (no <c>data: [DONE]</c> is sent), or <see langword="null"/> for none. Non-streaming requests that consume this fault
    /// lose their connection as with <see cref="DropConnection"/>.
    /// </summary>
    public int? BreakStreamAfterChunks { get; init; }

    /// <summary>Creates a fault that answers with an HTTP error status and an OpenAI-style error body.</summary>
    /// <param name="statusCode">The status code, 400-599.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> value to send, if any.</param>
    /// <param name="message">The error message; by default one that names the status code.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not in 400-599, or <paramref name="retryAfter"/> is negative.</exception>
    public static OpenAITestFault Status(int statusCode, TimeSpan? retryAfter = null, string? message = null)
    {
        var fault = new OpenAITestFault { StatusCode = statusCode, RetryAfter = retryAfter, ErrorMessage = message };
        fault.Validate();
        return fault;
    }

    /// <summary>Creates a fault that answers <c>429 Too Many Requests</c> as OpenAI does when a rate limit is reached.</summary>
    /// <param name="retryAfter">The <c>Retry-After</c> value to send, if any.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retryAfter"/> is negative.</exception>
    public static OpenAITestFault RateLimited(TimeSpan? retryAfter = null) => Status(429, retryAfter);

    /// <summary>Creates a fault that waits before answering normally.</summary>
    /// <param name="delay">The wait.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public static OpenAITestFault Delayed(TimeSpan delay)
    {
        var fault = new OpenAITestFault { Delay = delay };
        fault.Validate();
        return fault;
    }

    /// <summary>Creates a fault that aborts the connection without a response.</summary>
    /// <returns>The fault.</returns>
    public static OpenAITestFault DroppedConnection() => new() { DropConnection = true };

    /// <summary>Creates a fault that cuts a streaming chat response off after <paramref name="afterChunks"/> server-sent events.</summary>
    /// <param name="afterChunks">The number of events sent before the connection is aborted; 0 or more.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterChunks"/> is negative.</exception>
    public static OpenAITestFault BrokenStream(int afterChunks)
    {
        var fault = new OpenAITestFault { BreakStreamAfterChunks = afterChunks };
        fault.Validate();
        return fault;
    }

    /// <summary>Describes the fault.</summary>
    /// <returns>A description such as <c>429 Retry-After=2s</c>.</returns>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Delay > TimeSpan.Zero)
        {
            parts.Add(FormattableString.Invariant($"delay {Delay.TotalMilliseconds}ms"));
        }

        if (StatusCode is { } status)
        {
            parts.Add(RetryAfter is { } retryAfter ? FormattableString.Invariant($"{status} Retry-After={retryAfter.TotalSeconds}s") : FormattableString.Invariant($"{status}"));
        }

        if (DropConnection)
        {
            parts.Add("dropped connection");
        }

        if (BreakStreamAfterChunks is { } chunks)
        {
            parts.Add(FormattableString.Invariant($"stream broken after {chunks} chunks"));
        }

        return parts.Count == 0 ? "no fault" : string.Join(", ", parts);
    }

    /// <summary>Checks that the fault's settings are consistent.</summary>
    internal void Validate()
    {
        if (StatusCode is { } status && (status < 400 || status > 599))
        {
            throw new ArgumentOutOfRangeException(nameof(StatusCode), status, "The status code of a fault must be in 400-599.");
        }

        if (RetryAfter is { } retryAfter && retryAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryAfter), retryAfter, "Retry-After cannot be negative.");
        }

        if (Delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Delay), Delay, "The delay cannot be negative.");
        }

        if (BreakStreamAfterChunks is { } chunks && chunks < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BreakStreamAfterChunks), chunks, "The number of chunks cannot be negative.");
        }

        var kinds = (StatusCode is null ? 0 : 1) + (DropConnection ? 1 : 0) + (BreakStreamAfterChunks is null ? 0 : 1);
        if (kinds > 1)
        {
            throw new ArgumentException($"A fault sets at most one of {nameof(StatusCode)}, {nameof(DropConnection)} and {nameof(BreakStreamAfterChunks)}; this one is '{this}'.");
        }
    }
}
