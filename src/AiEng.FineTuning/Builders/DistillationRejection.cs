namespace AiEng.FineTuning;

/// <summary>An input whose teacher answer was not kept, and why.</summary>
public sealed class DistillationRejection
{
    /// <summary>Initializes a new instance of the <see cref="DistillationRejection"/> class.</summary>
    /// <param name="inputIndex">The 0-based index of the input.</param>
    /// <param name="reason">Why: <c>failed-evaluation</c> (with the failing metrics), <c>duplicate</c> or <c>teacher-error</c>.</param>
    /// <param name="detail">Details (the failed metrics, the duplicated input, or the error type and message).</param>
    public DistillationRejection(int inputIndex, string reason, string detail)
    {
        InputIndex = inputIndex;
        Reason = reason;
        Detail = detail;
    }

    /// <summary>Gets the 0-based index of the input.</summary>
    public int InputIndex { get; }

    /// <summary>Gets why: <c>failed-evaluation</c>, <c>duplicate</c> or <c>teacher-error</c>.</summary>
    public string Reason { get; }

    /// <summary>Gets details of the reason.</summary>
    public string Detail { get; }
}
