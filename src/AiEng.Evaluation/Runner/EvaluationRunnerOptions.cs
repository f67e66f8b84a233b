using Microsoft.Extensions.AI;

namespace AiEng.Evaluation;

/// <summary>Options of an <see cref="EvaluationRunner"/>.</summary>
public sealed class EvaluationRunnerOptions
{
    /// <summary>Gets or sets the run name used in reports. Default <c>run</c>.</summary>
    public string RunName { get; set; } = "run";

    /// <summary>Gets or sets how many cases run at the same time; at least 1. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// Gets or sets the directory where each finished case is appended to <c>cases.jsonl</c> as it completes, or
    /// <see langword="null"/> to keep results in memory only. With a directory, a run that was killed resumes: cases already
    /// in the file are not run again (cases whose target failed are). Default <see langword="null"/>.
    /// </summary>
    public string? OutputDirectory { get; set; }

    /// <summary>Gets or sets a value indicating whether finished cases in <see cref="OutputDirectory"/> are reused; <see langword="false"/> starts afresh. Default <see langword="true"/>.</summary>
    public bool Resume { get; set; } = true;

    /// <summary>
    /// Gets or sets the chat client the LLM-as-judge evaluators use, or <see langword="null"/> when no judge is configured.
    /// The runner wraps it with the disk response cache (when <see cref="CacheDirectory"/> is set) and the resilience
    /// middleware (when <see cref="UseResilienceForJudge"/> is set). Default <see langword="null"/>.
    /// </summary>
    public IChatClient? JudgeChatClient { get; set; }

    /// <summary>Gets or sets a value indicating whether judge calls go through <c>UseResilience</c> (retries with backoff, timeouts). Default <see langword="true"/>.</summary>
    public bool UseResilienceForJudge { get; set; } = true;

    /// <summary>
    /// Gets or sets a callback that adjusts the judge's resilience options (retries, backoff, timeouts; see
    /// <see cref="AiEng.Inference.ResilienceOptions"/>) when <see cref="UseResilienceForJudge"/> is set. Default
    /// <see langword="null"/>: the resilience defaults. A judge call that still fails after its retries becomes a diagnostic
    /// on the judge's metrics, and the case is kept.
    /// </summary>
    public Action<AiEng.Inference.ResilienceOptions>? ConfigureJudgeResilience { get; set; }

    /// <summary>Gets or sets the directory of the judge's disk response cache, or <see langword="null"/> for none. Default <see langword="null"/>.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// Gets or sets the usage ledger that the target's and the judge's pipelines record into (through
    /// <c>UseUsageTracking</c>), or <see langword="null"/>. Each case runs in a <c>UsageScope</c> tagged
    /// <c>eval/&lt;run name&gt;/&lt;case id&gt;</c>, and with a ledger the case's model calls and cost are read from it.
    /// Default <see langword="null"/>.
    /// </summary>
    public AiEng.Inference.UsageLedger? UsageLedger { get; set; }

    /// <summary>Gets or sets the receiver of progress after each case, or <see langword="null"/>. Default <see langword="null"/>.</summary>
    public IProgress<EvaluationProgress>? Progress { get; set; }

    /// <summary>Gets or sets the clock for timestamps and latency. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal EvaluationRunnerOptions Clone() => (EvaluationRunnerOptions)MemberwiseClone();

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(RunName))
        {
            throw new ArgumentException("RunName must not be empty.", nameof(RunName));
        }

        if (MaxConcurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), MaxConcurrency, "MaxConcurrency must be at least 1.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
