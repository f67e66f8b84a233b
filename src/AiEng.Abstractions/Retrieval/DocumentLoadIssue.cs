using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>A problem a loader worked around: a skipped file or document, or text that had to be repaired.</summary>
public sealed class DocumentLoadIssue
{
    /// <summary>Initializes a new instance of the <see cref="DocumentLoadIssue"/> class.</summary>
    /// <param name="source">The name of the source (for example a path relative to the loaded directory).</param>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">What went wrong, in words, and what the loader did about it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="message"/> is <see langword="null"/>.</exception>
    public DocumentLoadIssue(string source, DocumentLoadIssueKind kind, string message)
    {
        Source = Throw.IfNull(source);
        Kind = kind;
        Message = Throw.IfNull(message);
    }

    /// <summary>Gets the name of the source (for example a path relative to the loaded directory).</summary>
    public string Source { get; }

    /// <summary>Gets what went wrong.</summary>
    public DocumentLoadIssueKind Kind { get; }

    /// <summary>Gets what went wrong, in words, and what the loader did about it.</summary>
    public string Message { get; }

    /// <summary>Gets a value indicating whether the source or document was skipped (every kind except <see cref="DocumentLoadIssueKind.InvalidUtf8"/>).</summary>
    public bool IsSkipped => Kind != DocumentLoadIssueKind.InvalidUtf8;

    /// <summary>Gets the 1-based line the issue is on, when known.</summary>
    public int? LineNumber { get; init; }

    /// <summary>Gets the id of the affected record or document, when known.</summary>
    public string? DocumentId { get; init; }

    /// <inheritdoc />
    public override string ToString() => LineNumber is int line ? $"{Source}({line}): {Kind}: {Message}" : $"{Source}: {Kind}: {Message}";
}
