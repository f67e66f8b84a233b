namespace AiEng.Inference;

/// <summary>
/// The exception AiEng's inference middleware throws when a call to a model failed in a way the caller has to act on:
/// the provider rejected the request (HTTP 400, 401, 403, 404 and other client errors), retries were exhausted, the call
/// timed out, or the circuit breaker is open. The message says what happened and how to fix it; the original failure is
/// the <see cref="Exception.InnerException"/>.
/// </summary>
/// <remarks>The message never contains the API key or the prompt.</remarks>
public sealed class ModelRequestException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ModelRequestException"/> class.</summary>
    public ModelRequestException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelRequestException"/> class.</summary>
    /// <param name="message">What happened and how to fix it.</param>
    public ModelRequestException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelRequestException"/> class.</summary>
    /// <param name="message">What happened and how to fix it.</param>
    /// <param name="innerException">The original failure.</param>
    public ModelRequestException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the HTTP status code of the provider's last response, or <see langword="null"/> when no response was received.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the provider's name (for example <c>openai</c>), when known.</summary>
    public string? ProviderName { get; init; }

    /// <summary>Gets the model id, when known.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets how many attempts were made; 0 when the call was not sent (for example because the circuit breaker is open).</summary>
    public int Attempts { get; init; }

    /// <summary>Gets a value indicating whether the failure is transient, so that the same call may succeed later.</summary>
    public bool IsTransient { get; init; }

    /// <summary>
    /// Gets the position, in the call's list of inputs, of the input the failure is about (an embedding input over the model's
    /// token limit), or <see langword="null"/> when it is about the whole call.
    /// </summary>
    public int? InputIndex { get; init; }

    /// <summary>Gets how long the provider (or the open circuit breaker) asked to wait before the next call, when known.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
