namespace AiEng.Evaluation;

/// <summary>
/// The persisted result of one case: what went in, what came out, every metric, latency and tokens. A record, so that a
/// changed copy is made with <c>with</c>; its equality compares the lists and the metadata by reference.
/// </summary>
public sealed record CaseResult
{
    /// <summary>Gets the case id.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Gets the input.</summary>
    public string Input { get; init; } = string.Empty;

    /// <summary>Gets the target's output text, or <see langword="null"/> when the target failed.</summary>
    public string? Output { get; init; }

    /// <summary>Gets the reference answer, if any.</summary>
    public string? Reference { get; init; }

    /// <summary>Gets the contexts the evaluators saw (retrieved by the target, else the case's own), if any.</summary>
    public IReadOnlyList<string> Contexts { get; init; } = [];

    /// <summary>Gets the retrieved document ids, if the target reported them.</summary>
    public IReadOnlyList<string>? RetrievedIds { get; init; }

    /// <summary>Gets the metrics.</summary>
    public IReadOnlyList<MetricScore> Metrics { get; init; } = [];

    /// <summary>
    /// Gets why the target's model stopped (<c>stop</c>, <c>length</c>, <c>content_filter</c>, <c>tool_calls</c>, or a
    /// provider's own value), when its response said. <c>length</c> means the answer was cut at the output-token limit:
    /// it is scored as it is, and the reports list it.
    /// </summary>
    public string? FinishReason { get; init; }

    /// <summary>Gets the target's latency in milliseconds (not including evaluation).</summary>
    public double LatencyMs { get; init; }

    /// <summary>Gets the input tokens the target's response reported, if any.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Gets the output tokens the target's response reported, if any.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Gets the model calls (target and judge) the usage ledger recorded for this case, when a ledger is configured.</summary>
    public long? ModelCalls { get; init; }

    /// <summary>Gets the cost of those calls from the ledger's price table, when a ledger is configured.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Gets the target's failure (type and message) when it threw; such a case is retried when the run resumes.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the case metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the value of a metric, or <see langword="null"/> when absent or not computed.</summary>
    /// <param name="metricName">The metric name.</param>
    /// <returns>The value.</returns>
    public double? GetValue(string metricName) => Metrics.FirstOrDefault(m => string.Equals(m.Name, metricName, StringComparison.Ordinal))?.Value;
}
