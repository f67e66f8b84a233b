namespace AiEng.Evaluation;

/// <summary>A data set file is malformed; the message names the file and the line to fix.</summary>
public sealed class EvaluationDataException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationDataException"/> class.</summary>
    public EvaluationDataException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvaluationDataException"/> class.</summary>
    /// <param name="message">The message.</param>
    public EvaluationDataException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvaluationDataException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EvaluationDataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvaluationDataException"/> class for a problem at a line of a file.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <param name="problem">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public EvaluationDataException(string filePath, int lineNumber, string problem, Exception? innerException = null)
        : base($"{filePath}:{lineNumber}: {problem}", innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    /// <summary>Gets the file with the problem, if known.</summary>
    public string? FilePath { get; }

    /// <summary>Gets the 1-based line number of the problem, or 0 when not known.</summary>
    public int LineNumber { get; }
}
