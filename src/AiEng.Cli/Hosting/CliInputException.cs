namespace AiEng.Cli;

/// <summary>Bad input the tool itself found (an option value, a file's content): reported on one line with exit code 2.</summary>
internal sealed class CliInputException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CliInputException"/> class.</summary>
    public CliInputException()
        : base("The input is invalid.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CliInputException"/> class.</summary>
    /// <param name="message">What was wrong, where, and how to fix it.</param>
    public CliInputException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CliInputException"/> class.</summary>
    /// <param name="message">What was wrong, where, and how to fix it.</param>
    /// <param name="innerException">The error that caused it.</param>
    public CliInputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
