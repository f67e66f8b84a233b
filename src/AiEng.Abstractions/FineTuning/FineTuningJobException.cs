namespace AiEng.FineTuning;

/// <summary>
/// A fine-tuning request was refused or a job did not produce a model: a malformed upload (<see cref="FileName"/> names
/// the file), an unknown model or file, a job that failed (<see cref="JobId"/>, with the provider's <see cref="ErrorCode"/>
/// and <see cref="ProviderMessage"/>) or was cancelled.
/// </summary>
public sealed class FineTuningJobException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningJobException"/> class.</summary>
    public FineTuningJobException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FineTuningJobException"/> class.</summary>
    /// <param name="message">The message.</param>
    public FineTuningJobException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FineTuningJobException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause, for example the provider client's exception.</param>
    public FineTuningJobException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the job's id, when the problem concerns a job.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets the name of the file, when the problem concerns an upload.</summary>
    public string? FileName { get; init; }

    /// <summary>Gets the job's status when the exception was raised, when it concerns a job.</summary>
    public FineTuningJobStatus? Status { get; init; }

    /// <summary>Gets the provider's error code, for example <c>invalid_training_file</c>, if it gave one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets the provider's own message, if it gave one.</summary>
    public string? ProviderMessage { get; init; }

    /// <summary>Gets the HTTP status of the provider's answer, when the request was refused.</summary>
    public int? StatusCode { get; init; }
}
