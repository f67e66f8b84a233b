namespace AiEng.Evaluation;

/// <summary>The change of one metric between a baseline run and a current run, over the cases both runs scored.</summary>
public sealed class MetricDelta
{
    /// <summary>Gets the metric name.</summary>
    public string Metric { get; init; } = string.Empty;

    /// <summary>Gets the number of cases with a value in both runs (the pairs the interval is computed from).</summary>
    public int PairedCases { get; init; }

    /// <summary>Gets the baseline mean over the paired cases.</summary>
    public double BaselineMean { get; init; }

    /// <summary>Gets the current mean over the paired cases.</summary>
    public double CurrentMean { get; init; }

    /// <summary>Gets the mean paired difference, current minus baseline.</summary>
    public double Delta { get; init; }

    /// <summary>Gets the lower bound of the bootstrap confidence interval of <see cref="Delta"/>.</summary>
    public double Lower { get; init; }

    /// <summary>Gets the upper bound of the bootstrap confidence interval of <see cref="Delta"/>.</summary>
    public double Upper { get; init; }

    /// <summary>Gets a value indicating whether the interval excludes zero (and at least two pairs exist): the change is flagged.</summary>
    public bool Significant { get; init; }
}
