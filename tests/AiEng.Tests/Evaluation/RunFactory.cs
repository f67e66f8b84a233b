using AiEng.Evaluation;

namespace AiEng.Tests.Evaluation;

/// <summary>Builds runs with given metric values for report, comparison and gate tests.</summary>
internal static class RunFactory
{
    public static EvaluationRun Run(string name, string metric, params double?[] values) => new()
    {
        Name = name,
        Dataset = "set",
        StartedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        CompletedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 2, TimeSpan.Zero),
        Cases = values.Select((v, i) => new CaseResult
        {
            Id = $"c{i}",
            Input = $"question {i}",
            Output = $"answer {i}",
            Reference = $"reference {i}",
            Contexts = [$"context {i}"],
            LatencyMs = 10 + i,
            Metrics = [v is { } value
                ? new MetricScore { Name = metric, Value = value, Reason = $"reason {i}" }
                : new MetricScore { Name = metric, Diagnostics = [new MetricDiagnostic { Severity = "Error", Message = "no reference" }] }],
        }).ToArray(),
    };
}
