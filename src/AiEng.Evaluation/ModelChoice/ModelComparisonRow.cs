namespace AiEng.Evaluation;

/// <summary>One model's line in a <see cref="ModelComparison"/>.</summary>
public sealed record ModelComparisonRow
{
    /// <summary>Gets the model's name.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the number of cases run.</summary>
    public int Cases { get; init; }

    /// <summary>Gets the number of cases the model failed (an exception, such as a timeout or a refused request); they score zero.</summary>
    public int Failures { get; init; }

    /// <summary>Gets the mean quality: the metric's mean over the scored cases, failed cases counting zero.</summary>
    public double Quality { get; init; }

    /// <summary>Gets the lower bound of the quality's bootstrap confidence interval.</summary>
    public double QualityLower { get; init; }

    /// <summary>Gets the upper bound of the quality's bootstrap confidence interval.</summary>
    public double QualityUpper { get; init; }

    /// <summary>Gets the cost of 1,000 requests at the run's mean cost per case, or <see langword="null"/> when cost was not measured.</summary>
    public decimal? CostPer1000 { get; init; }

    /// <summary>Gets the median latency of a case, in milliseconds.</summary>
    public double LatencyP50Ms { get; init; }

    /// <summary>Gets the 95th percentile latency of a case, in milliseconds.</summary>
    public double LatencyP95Ms { get; init; }

    /// <summary>Gets the mean paired difference in quality from the best model (zero for the best; negative is worse).</summary>
    public double DeltaToBest { get; init; }

    /// <summary>Gets the lower bound of the paired bootstrap interval of <see cref="DeltaToBest"/>.</summary>
    public double DeltaLower { get; init; }

    /// <summary>Gets the upper bound of the paired bootstrap interval of <see cref="DeltaToBest"/>.</summary>
    public double DeltaUpper { get; init; }

    /// <summary>Gets a value indicating whether the model's quality is significantly below the best model's (the interval of <see cref="DeltaToBest"/> is below zero).</summary>
    public bool IsSignificantlyBelowBest { get; init; }

    /// <summary>Gets a value indicating whether no other model is at least as good for at most the cost, and better or cheaper (the quality/cost Pareto front); false when cost was not measured.</summary>
    public bool IsParetoOptimal { get; init; }
}
