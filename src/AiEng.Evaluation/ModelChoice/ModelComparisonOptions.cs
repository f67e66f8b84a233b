using AiEng.Inference;

namespace AiEng.Evaluation;

/// <summary>How a <see cref="ModelComparison"/> scores quality and decides what is significantly worse.</summary>
public sealed class ModelComparisonOptions
{
    /// <summary>Gets or sets the metric that measures quality (an evaluator's metric name, such as <c>Exact Match</c> or <c>Token F1</c>). Required.</summary>
    public string Metric { get; set; } = string.Empty;

    /// <summary>Gets or sets the confidence level of the intervals, between 0 and 1 exclusive. Default 0.95.</summary>
    public double Confidence { get; set; } = 0.95;

    /// <summary>Gets or sets the bootstrap resamples; at least 100. Default 2000.</summary>
    public int Resamples { get; set; } = 2000;

    /// <summary>Gets or sets the seed of the resampling, so that the same runs always give the same intervals. Default 17.</summary>
    public int Seed { get; set; } = 17;

    /// <summary>
    /// Gets or sets the ledger the candidates record their calls in (the one <c>AddAiEng</c> registers as
    /// <see cref="IUsageLedger"/>), from which each case's cost is read; <see langword="null"/> leaves cost unmeasured.
    /// </summary>
    public UsageLedger? UsageLedger { get; set; }

    /// <summary>Gets or sets the most cases evaluated at once per candidate. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// Gets or sets a folder for the runs: each candidate's cases go to a subfolder named after it, so an interrupted
    /// comparison resumes without paying again for finished cases. Default: <see langword="null"/>, nothing written.
    /// </summary>
    public string? OutputDirectory { get; set; }

    /// <summary>Gets or sets the progress of each candidate's run, with its name.</summary>
    public IProgress<(string Model, EvaluationProgress Progress)>? Progress { get; set; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Metric))
        {
            throw new ArgumentException("Name the quality metric in ModelComparisonOptions.Metric, for example \"Exact Match\" or \"Token F1\".", nameof(Metric));
        }

        if (!(Confidence > 0 && Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "The confidence must be between 0 and 1, such as 0.95.");
        }

        if (Resamples < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(Resamples), Resamples, "Use at least 100 bootstrap resamples (2000 is the default).");
        }

        if (MaxConcurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), MaxConcurrency, "MaxConcurrency must be at least 1.");
        }
    }
}
