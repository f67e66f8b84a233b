using AiEng.Shared;

namespace AiEng.Evaluation;

/// <summary>
/// Compares a run with a baseline: for each metric both runs have, the mean paired difference over the cases both scored
/// and its paired bootstrap confidence interval (percentile method); a metric is flagged only where the interval excludes zero.
/// </summary>
/// <remarks>
/// The bootstrap resamples the case pairs with replacement (2000 times by default) with a seeded generator, so the
/// same inputs always give the same interval. With fewer than two pairs nothing is flagged.
/// </remarks>
public sealed class RunComparison
{
    private RunComparison(string baseline, string current, IReadOnlyList<MetricDelta> deltas)
    {
        BaselineName = baseline;
        CurrentName = current;
        Deltas = deltas;
    }

    /// <summary>Gets the baseline run name.</summary>
    public string BaselineName { get; }

    /// <summary>Gets the current run name.</summary>
    public string CurrentName { get; }

    /// <summary>Gets the per-metric deltas.</summary>
    public IReadOnlyList<MetricDelta> Deltas { get; }

    /// <summary>Gets the delta of a metric, or <see langword="null"/> when it was not compared.</summary>
    /// <param name="metric">The metric name.</param>
    /// <returns>The delta.</returns>
    public MetricDelta? this[string metric] => Deltas.FirstOrDefault(d => string.Equals(d.Metric, metric, StringComparison.Ordinal));

    /// <summary>Compares <paramref name="current"/> with <paramref name="baseline"/>.</summary>
    /// <param name="baseline">The baseline run.</param>
    /// <param name="current">The current run.</param>
    /// <param name="confidence">The confidence level, between 0 and 1 exclusive. Default 0.95.</param>
    /// <param name="resamples">The bootstrap resamples; at least 100. Default 2000.</param>
    /// <param name="seed">The seed of the resampling. Default 17.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentNullException">A run is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> or <paramref name="resamples"/> is out of range.</exception>
    public static RunComparison Compare(EvaluationRun baseline, EvaluationRun current, double confidence = 0.95, int resamples = 2000, int seed = 17)
    {
        Throw.IfNull(baseline);
        Throw.IfNull(current);
        Throw.IfLessThan(resamples, 100);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must be between 0 and 1.");
        }

        var baseById = baseline.Cases.ToDictionary(static c => c.Id, StringComparer.Ordinal);
        var deltas = new List<MetricDelta>();
        foreach (string metric in current.MetricNames.Where(m => baseline.MetricNames.Contains(m, StringComparer.Ordinal)))
        {
            var before = new List<double>();
            var after = new List<double>();
            foreach (var item in current.Cases)
            {
                if (item.GetValue(metric) is { } now && baseById.TryGetValue(item.Id, out var old) && old.GetValue(metric) is { } then)
                {
                    before.Add(then);
                    after.Add(now);
                }
            }

            if (before.Count == 0)
            {
                continue;
            }

            double[] differences = after.Zip(before, static (a, b) => a - b).ToArray();
            var (lower, upper) = BootstrapInterval(differences, confidence, resamples, seed);
            deltas.Add(new MetricDelta
            {
                Metric = metric,
                PairedCases = differences.Length,
                BaselineMean = before.Average(),
                CurrentMean = after.Average(),
                Delta = differences.Average(),
                Lower = lower,
                Upper = upper,
                Significant = differences.Length >= 2 && (lower > 0 || upper < 0),
            });
        }

        return new RunComparison(baseline.Name, current.Name, deltas);
    }

    internal static (double Lower, double Upper) BootstrapInterval(double[] differences, double confidence, int resamples, int seed)
    {
        var random = new Random(seed);
        var means = new double[resamples];
        int n = differences.Length;
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += differences[random.Next(n)];
            }

            means[r] = sum / n;
        }

        Array.Sort(means);
        double alpha = (1 - confidence) / 2;
        return (Percentile(means, alpha), Percentile(means, 1 - alpha));
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default percentile).</summary>
    private static double Percentile(double[] sorted, double p)
    {
        double position = p * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
