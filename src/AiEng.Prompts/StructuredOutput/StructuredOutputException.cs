namespace AiEng.Prompts;

/// <summary>The model's output did not match the JSON schema of the requested type, even after every repair attempt.</summary>
public sealed class StructuredOutputException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="StructuredOutputException"/> class.</summary>
    public StructuredOutputException()
        : this("The model output did not match the schema.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StructuredOutputException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public StructuredOutputException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StructuredOutputException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public StructuredOutputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StructuredOutputException"/> class with the validation failures.</summary>
    /// <param name="typeName">The requested type.</param>
    /// <param name="errors">Every validation failure of the last response.</param>
    /// <param name="lastOutput">The text of the last response.</param>
    /// <param name="attempts">How many model calls were made.</param>
    public StructuredOutputException(string typeName, IReadOnlyList<string> errors, string lastOutput, int attempts)
        : base($"The model output did not match the JSON schema of {typeName} after {attempts} attempt(s). {errors.Count} failure(s):{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", errors)}")
    {
        Errors = errors;
        LastOutput = lastOutput;
        Attempts = attempts;
    }

    /// <summary>Gets every validation failure of the last response, as <c>location: reason</c>.</summary>
    public IReadOnlyList<string> Errors { get; } = [];

    /// <summary>Gets the text of the last response (not logged; inspect it when debugging).</summary>
    public string LastOutput { get; } = string.Empty;

    /// <summary>Gets how many model calls were made.</summary>
    public int Attempts { get; }
}
