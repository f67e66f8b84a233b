namespace AiEng.Fuzz;

/// <summary>Thrown by a target when a parser returned without an exception but broke one of its documented promises.</summary>
internal sealed class FuzzFindingException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="FuzzFindingException"/> class.</summary>
    public FuzzFindingException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FuzzFindingException"/> class.</summary>
    /// <param name="message">What was broken.</param>
    public FuzzFindingException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FuzzFindingException"/> class.</summary>
    /// <param name="message">What was broken.</param>
    /// <param name="innerException">The cause.</param>
    public FuzzFindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
