namespace AiEng.Evaluation;

/// <summary>Thrown by <see cref="EvaluationGate.Assert"/> when a gate fails; the message lists every check.</summary>
public sealed class EvaluationGateException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationGateException"/> class.</summary>
    public EvaluationGateException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvaluationGateException"/> class.</summary>
    /// <param name="message">The message.</param>
    public EvaluationGateException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvaluationGateException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EvaluationGateException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvaluationGateException"/> class for a failed gate.</summary>
    /// <param name="result">The gate result.</param>
    public EvaluationGateException(GateResult result)
        : base(result?.ToString())
    {
        Result = result;
    }

    /// <summary>Gets the gate result, when thrown for a gate.</summary>
    public GateResult? Result { get; }
}
