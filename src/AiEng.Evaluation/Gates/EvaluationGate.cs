using System.Globalization;
using AiEng.Shared;

namespace AiEng.Evaluation;

/// <summary>
/// Thresholds a run must meet: absolute bounds on metric means, and no significant regression against a baseline. Use
/// <see cref="Assert"/> in a unit test (it throws with a readable message listing every check) or
/// <see cref="EvaluationGateCommand"/> in CI (it exits non-zero).
/// </summary>
/// <example>
/// <code>
/// new EvaluationGate().AtLeast("Token F1", 0.6).NoRegression("Token F1", tolerance: 0.02).Assert(run, baseline);
/// </code>
/// </example>
public sealed class EvaluationGate
{
    private readonly List<Func<EvaluationRun, RunComparison?, GateCheck>> _rules = [];

    /// <summary>Requires the mean of <paramref name="metric"/> to be at least <paramref name="threshold"/>.</summary>
    /// <param name="metric">The metric name.</param>
    /// <param name="threshold">The lowest acceptable mean.</param>
    /// <returns>This gate.</returns>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is null or empty.</exception>
    public EvaluationGate AtLeast(string metric, double threshold) => AddBound(metric, threshold, atLeast: true);

    /// <summary>Requires the mean of <paramref name="metric"/> to be at most <paramref name="threshold"/> (for costs, errors, latency-like metrics).</summary>
    /// <param name="metric">The metric name.</param>
    /// <param name="threshold">The highest acceptable mean.</param>
    /// <returns>This gate.</returns>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is null or empty.</exception>
    public EvaluationGate AtMost(string metric, double threshold) => AddBound(metric, threshold, atLeast: false);

    /// <summary>
    /// Fails when <paramref name="metric"/> got significantly worse than the baseline: the paired bootstrap 95% interval of
    /// the delta excludes zero and the delta is worse than <paramref name="tolerance"/>. Without a baseline the check passes
    /// and says it was skipped.
    /// </summary>
    /// <param name="metric">The metric name.</param>
    /// <param name="tolerance">The largest accepted drop (a rise for lower-is-better metrics); zero or more. Default 0.</param>
    /// <param name="higherIsBetter">Whether a higher value is better. Default <see langword="true"/>.</param>
    /// <returns>This gate.</returns>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative.</exception>
    public EvaluationGate NoRegression(string metric, double tolerance = 0, bool higherIsBetter = true)
    {
        Throw.IfNullOrWhitespace(metric);
        Throw.IfNegative(tolerance);
        string rule = string.Create(CultureInfo.InvariantCulture, $"no significant regression of {metric} beyond {tolerance:0.####}");
        _rules.Add((_, comparison) =>
        {
            if (comparison is null)
            {
                return new GateCheck { Rule = rule, Passed = true, Detail = "skipped: no baseline run was given" };
            }

            if (comparison[metric] is not { } delta)
            {
                return new GateCheck { Rule = rule, Passed = false, Detail = $"the metric is missing from the current run or the baseline '{comparison.BaselineName}'" };
            }

            double worsening = higherIsBetter ? -delta.Delta : delta.Delta;
            bool regressed = delta.Significant && worsening > tolerance;
            return new GateCheck
            {
                Rule = rule,
                Passed = !regressed,
                Detail = string.Create(CultureInfo.InvariantCulture,
                    $"delta {delta.Delta:+0.0000;-0.0000} (95% CI {delta.Lower:+0.0000;-0.0000} to {delta.Upper:+0.0000;-0.0000}, {delta.PairedCases} paired cases, {(delta.Significant ? "significant" : "not significant")}) vs '{comparison.BaselineName}'"),
            };
        });
        return this;
    }

    /// <summary>Checks a run.</summary>
    /// <param name="run">The run.</param>
    /// <param name="baseline">The baseline for regression rules, or <see langword="null"/>.</param>
    /// <returns>Every check.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    public GateResult Evaluate(EvaluationRun run, EvaluationRun? baseline = null)
    {
        Throw.IfNull(run);
        var comparison = baseline is null ? null : RunComparison.Compare(baseline, run);
        return new GateResult(_rules.Select(rule => rule(run, comparison)).ToArray());
    }

    /// <summary>Checks a run and throws when any check fails: an assertion for unit tests (xunit shows the message).</summary>
    /// <param name="run">The run.</param>
    /// <param name="baseline">The baseline for regression rules, or <see langword="null"/>.</param>
    /// <returns>The result, when every check passed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    /// <exception cref="EvaluationGateException">A check failed; the message lists every check with what was measured.</exception>
    public GateResult Assert(EvaluationRun run, EvaluationRun? baseline = null)
    {
        var result = Evaluate(run, baseline);
        return result.Passed ? result : throw new EvaluationGateException(result);
    }

    private EvaluationGate AddBound(string metric, double threshold, bool atLeast)
    {
        Throw.IfNullOrWhitespace(metric);
        string rule = string.Create(CultureInfo.InvariantCulture, $"mean({metric}) {(atLeast ? ">=" : "<=")} {threshold:0.####}");
        _rules.Add((run, _) =>
        {
            if (!run.MetricNames.Contains(metric, StringComparer.Ordinal))
            {
                return new GateCheck { Rule = rule, Passed = false, Detail = "the run has no such metric" };
            }

            var summary = run.Summarize(metric);
            if (summary.Mean is not { } mean)
            {
                return new GateCheck { Rule = rule, Passed = false, Detail = $"no case has a value ({summary.Missing} without)" };
            }

            bool passed = atLeast ? mean >= threshold : mean <= threshold;
            string missing = summary.Missing > 0 ? $", {summary.Missing} cases without a value" : string.Empty;
            return new GateCheck { Rule = rule, Passed = passed, Detail = string.Create(CultureInfo.InvariantCulture, $"mean {mean:0.####} over {summary.Count} cases{missing}") };
        });
        return this;
    }
}
