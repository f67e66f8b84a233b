namespace AiEng.FineTuning;

/// <summary>One problem in a training-data file: where it is (file, line, field) and what is wrong.</summary>
public sealed class FineTuningDataError
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningDataError"/> class.</summary>
    /// <param name="source">The file or source name.</param>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <param name="field">The JSON path of the field (for example <c>messages[2].tool_calls[0].function.arguments</c>), or <see langword="null"/> for the whole line.</param>
    /// <param name="problem">What is wrong and how to fix it.</param>
    public FineTuningDataError(string source, int lineNumber, string? field, string problem)
    {
        Source = source;
        LineNumber = lineNumber;
        Field = field;
        Problem = problem;
    }

    /// <summary>Gets the file or source name.</summary>
    public string Source { get; }

    /// <summary>Gets the 1-based line number.</summary>
    public int LineNumber { get; }

    /// <summary>Gets the JSON path of the field, or <see langword="null"/> when the problem is the whole line.</summary>
    public string? Field { get; }

    /// <summary>Gets what is wrong and how to fix it.</summary>
    public string Problem { get; }

    /// <summary>Formats the error as <c>source:line: field: problem</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Field is null ? $"{Source}:{LineNumber}: {Problem}" : $"{Source}:{LineNumber}: {Field}: {Problem}";
}
