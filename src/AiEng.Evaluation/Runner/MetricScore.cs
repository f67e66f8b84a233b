using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>One metric of one case as persisted and reported: a value (or none), the reason and the diagnostics.</summary>
public sealed class MetricScore
{
    /// <summary>Gets the metric name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the value: the numeric value, 1 or 0 for a boolean metric, or <see langword="null"/> when the metric could not be computed (see <see cref="Diagnostics"/>). Never NaN.</summary>
    public double? Value { get; init; }

    /// <summary>Gets the reason the evaluator gave (for judges, their reasoning), if any.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets a value indicating whether the metric's interpretation marked it as failed, if interpreted.</summary>
    public bool? Failed { get; init; }

    /// <summary>Gets the diagnostics, as <c>severity: message</c> pairs.</summary>
    public IReadOnlyList<MetricDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>
    /// Gets the metric's metadata as the evaluator set it (empty when none); AiEng's judges cite their prompt here under
    /// <see cref="JudgePrompts.MetadataKey"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Converts a Microsoft.Extensions.AI.Evaluation metric.</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="metric"/> is <see langword="null"/>.</exception>
    public static MetricScore From(EvaluationMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        double? value = metric switch
        {
            NumericMetric numeric => numeric.Value,
            BooleanMetric boolean => boolean.Value switch { true => 1, false => 0, null => null },
            _ => null,
        };
        var diagnostics = (metric.Diagnostics ?? []).Select(static d => new MetricDiagnostic { Severity = d.Severity.ToString(), Message = d.Message }).ToList();
        if (value is { } v && !double.IsFinite(v))
        {
            diagnostics.Add(new MetricDiagnostic { Severity = nameof(EvaluationDiagnosticSeverity.Error), Message = $"The evaluator reported a non-finite value ({v}); it is not counted as a score." });
            value = null;
        }

        string? reason = metric.Reason ?? (metric is StringMetric text ? text.Value : null);
        var metadata = metric.Metadata is { Count: > 0 } source
            ? new Dictionary<string, string>(source, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        return new MetricScore { Name = metric.Name, Value = value, Reason = reason, Failed = metric.Interpretation?.Failed, Diagnostics = diagnostics, Metadata = metadata };
    }
}
