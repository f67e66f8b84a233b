namespace AiEng.Evaluation;

/// <summary>A metric aggregated over the cases of a run (cases without a value are counted, not averaged).</summary>
public sealed class MetricSummary
{
    /// <summary>Gets the metric name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the number of cases with a value.</summary>
    public int Count { get; init; }

    /// <summary>Gets the number of cases where the metric has no value (a diagnostic explains why).</summary>
    public int Missing { get; init; }

    /// <summary>Gets the mean of the values, or <see langword="null"/> when no case has one.</summary>
    public double? Mean { get; init; }

    /// <summary>Gets the sample standard deviation, or <see langword="null"/> with fewer than two values.</summary>
    public double? StandardDeviation { get; init; }

    /// <summary>Gets the smallest value, if any.</summary>
    public double? Min { get; init; }

    /// <summary>Gets the largest value, if any.</summary>
    public double? Max { get; init; }
}
