using System.Text.Json;
using System.Text.Json.Serialization;
using AiEng.Shared;

namespace AiEng.Evaluation;

/// <summary>The complete result of running a data set through a target and its evaluators; the JSON report is this object.</summary>
public sealed class EvaluationRun
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Gets the run name (for example a configuration label such as <c>baseline</c>).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the data set name.</summary>
    public string Dataset { get; init; } = string.Empty;

    /// <summary>Gets when the run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when the run completed.</summary>
    public DateTimeOffset CompletedAt { get; init; }

    /// <summary>Gets the case results in data-set order.</summary>
    public IReadOnlyList<CaseResult> Cases { get; init; } = [];

    /// <summary>Gets the metric names in first-seen order.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> MetricNames => Cases.SelectMany(static c => c.Metrics.Select(static m => m.Name)).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Gets the per-metric aggregates.</summary>
    public IReadOnlyList<MetricSummary> Summary => MetricNames.Select(Summarize).ToArray();

    /// <summary>Reads a run from its JSON report.</summary>
    /// <param name="path">The JSON file written by <see cref="EvaluationReports.WriteJsonAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="EvaluationDataException">The file is not a run report.</exception>
    public static async Task<EvaluationRun> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(path);
        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<EvaluationRun>(stream, Json, cancellationToken).ConfigureAwait(false)
                ?? throw new EvaluationDataException(path, 1, "the file holds no run.");
        }
        catch (JsonException ex)
        {
            throw new EvaluationDataException(path, (int)(ex.LineNumber ?? 0) + 1, $"not a run report: {ex.Message}", ex);
        }
    }

    /// <summary>Aggregates one metric over the cases.</summary>
    /// <param name="metricName">The metric name.</param>
    /// <returns>The summary.</returns>
    public MetricSummary Summarize(string metricName)
    {
        var values = new List<double>();
        int missing = 0;
        foreach (var item in Cases)
        {
            var metric = item.Metrics.FirstOrDefault(m => string.Equals(m.Name, metricName, StringComparison.Ordinal));
            if (metric?.Value is { } value)
            {
                values.Add(value);
            }
            else
            {
                missing++;
            }
        }

        if (values.Count == 0)
        {
            return new MetricSummary { Name = metricName, Missing = missing };
        }

        double mean = values.Average();
        double? deviation = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : null;
        return new MetricSummary { Name = metricName, Count = values.Count, Missing = missing, Mean = mean, StandardDeviation = deviation, Min = values.Min(), Max = values.Max() };
    }
}
