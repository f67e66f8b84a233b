namespace AiEng.Evaluation;

/// <summary>Progress of a run, reported after each finished case.</summary>
/// <remarks>Two values are equal when all four counts are equal.</remarks>
public readonly struct EvaluationProgress : IEquatable<EvaluationProgress>
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationProgress"/> struct.</summary>
    /// <param name="completed">Cases finished so far, including those resumed from an earlier run.</param>
    /// <param name="total">Cases in the data set.</param>
    /// <param name="resumed">Cases taken from an earlier, interrupted run without redoing them.</param>
    /// <param name="failed">Cases whose target threw.</param>
    public EvaluationProgress(int completed, int total, int resumed, int failed)
    {
        Completed = completed;
        Total = total;
        Resumed = resumed;
        Failed = failed;
    }

    /// <summary>Gets the cases finished so far, including those resumed from an earlier run.</summary>
    public int Completed { get; }

    /// <summary>Gets the cases in the data set.</summary>
    public int Total { get; }

    /// <summary>Gets the cases taken from an earlier, interrupted run without redoing them.</summary>
    public int Resumed { get; }

    /// <summary>Gets the cases whose target threw.</summary>
    public int Failed { get; }

    /// <summary>Determines whether two progress values are equal.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when all four counts are equal.</returns>
    public static bool operator ==(EvaluationProgress left, EvaluationProgress right) => left.Equals(right);

    /// <summary>Determines whether two progress values differ.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when any count differs.</returns>
    public static bool operator !=(EvaluationProgress left, EvaluationProgress right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(EvaluationProgress other) =>
        Completed == other.Completed && Total == other.Total && Resumed == other.Resumed && Failed == other.Failed;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EvaluationProgress other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Completed, Total, Resumed, Failed);

    /// <summary>Returns the counts, for example <c>12/20 (resumed 2, failed 1)</c>.</summary>
    /// <returns>The progress as text.</returns>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Completed}/{Total} (resumed {Resumed}, failed {Failed})");
}
