namespace AiEng.Retrieval;

/// <summary>
/// The exception a document loader throws when a source cannot be read or is malformed. The message names the source and,
/// where it applies, the line and record, so that the input can be fixed; the original failure is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class DocumentLoadException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="DocumentLoadException"/> class.</summary>
    public DocumentLoadException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocumentLoadException"/> class.</summary>
    /// <param name="message">What is wrong, where, and how to fix it.</param>
    public DocumentLoadException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocumentLoadException"/> class.</summary>
    /// <param name="message">What is wrong, where, and how to fix it.</param>
    /// <param name="innerException">The original failure.</param>
    public DocumentLoadException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the name of the source (for example a file path) that failed, when known.</summary>
    public string? SourceName { get; init; }

    /// <summary>Gets the 1-based line of the source that failed, when known.</summary>
    public int? LineNumber { get; init; }

    /// <summary>Gets the id of the record that failed, when known.</summary>
    public string? RecordId { get; init; }
}
