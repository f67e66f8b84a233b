namespace AiEng.Prompts;

/// <summary>A prompt file, template, input or budget is invalid; the message and properties say where and why.</summary>
public sealed class PromptException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="PromptException"/> class.</summary>
    public PromptException()
        : this("The prompt is invalid.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public PromptException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PromptException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptException"/> class with a location.</summary>
    /// <param name="message">The reason, without the location (the message is prefixed with <c>file:line:column: </c>).</param>
    /// <param name="file">The file (path or resource name), if known.</param>
    /// <param name="line">The 1-based line, or 0 when unknown.</param>
    /// <param name="column">The 1-based column, or 0 when unknown.</param>
    /// <param name="innerException">The cause, if any.</param>
    public PromptException(string message, string? file, int line, int column, Exception? innerException = null)
        : base(FormatLocation(file, line, column) + message, innerException)
    {
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>Gets the file (path or resource name) the error is in, if known.</summary>
    public string? File { get; }

    /// <summary>Gets the 1-based line of the error, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>Gets the 1-based column of the error, or 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>Gets or sets the name of the input the error concerns, if any.</summary>
    public string? InputName { get; init; }

    /// <summary>Gets or sets the input tokens the render needed, for budget errors.</summary>
    public int? RequiredTokens { get; init; }

    /// <summary>Gets or sets the token budget, for budget errors.</summary>
    public int? MaxTokens { get; init; }

    private static string FormatLocation(string? file, int line, int column)
    {
        string where = file ?? "<prompt>";
        return line <= 0 ? where + ": " : column <= 0 ? $"{where}:{line}: " : $"{where}:{line}:{column}: ";
    }
}
