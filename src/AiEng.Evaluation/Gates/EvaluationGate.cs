using System.Globalization;
using System.Text.Json;
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

    /// <summary>Reads a gate from a rules file (see <see cref="Parse"/>).</summary>
    /// <param name="path">The rules file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The gate.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="EvaluationDataException">The file is not a valid rules file (the message names the file, line and rule).</exception>
    public static async Task<EvaluationGate> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(path);
        string json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(json, path);
    }

    /// <summary>
    /// Reads a gate from the JSON of a rules file, for CI: <c>{"rules": [...]}</c>, each rule a metric and exactly one
    /// of <c>min</c> (<see cref="AtLeast"/>), <c>max</c> (<see cref="AtMost"/>) or <c>noRegression</c> (the tolerance of
    /// <see cref="NoRegression"/>, with an optional <c>higherIsBetter</c>, default <see langword="true"/>).
    /// </summary>
    /// <example>
    /// <code>
    /// { "rules": [
    ///     { "metric": "Token F1", "min": 0.6 },
    ///     { "metric": "Cost", "max": 0.01 },
    ///     { "metric": "Faithfulness", "noRegression": 0.02 } ] }
    /// </code>
    /// </example>
    /// <param name="json">The file's text.</param>
    /// <param name="source">The file's name, for messages.</param>
    /// <returns>The gate, with the rules in the file's order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> or <paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="EvaluationDataException">The JSON is malformed, has an unknown property, or a rule is incomplete or ambiguous; the message names the source, line and rule.</exception>
    public static EvaluationGate Parse(string json, string source)
    {
        Throw.IfNull(json);
        Throw.IfNull(source);
        GateRulesFile? file;
        try
        {
            file = JsonSerializer.Deserialize<GateRulesFile>(json, GateRulesFile.Json);
        }
        catch (JsonException ex)
        {
            throw new EvaluationDataException(source, (int)(ex.LineNumber ?? 0) + 1, $"not a gate rules file: {ex.Message} Expected {{\"rules\": [{{\"metric\": \"Token F1\", \"min\": 0.6}}]}}.", ex);
        }

        if (file?.Rules is not { Count: > 0 } rules)
        {
            throw new EvaluationDataException(source, 1, "the file has no rules: expected {\"rules\": [{\"metric\": \"Token F1\", \"min\": 0.6}]}.");
        }

        var gate = new EvaluationGate();
        for (int i = 0; i < rules.Count; i++)
        {
            GateRuleEntry rule = rules[i];
            string where = string.Create(CultureInfo.InvariantCulture, $"{source}: rules[{i}]");
            if (string.IsNullOrWhiteSpace(rule.Metric))
            {
                throw new EvaluationDataException($"{where}: 'metric' is missing; name the metric as the run reports it, for example \"metric\": \"Token F1\".");
            }

            int kinds = (rule.Min is null ? 0 : 1) + (rule.Max is null ? 0 : 1) + (rule.NoRegression is null ? 0 : 1);
            if (kinds != 1)
            {
                throw new EvaluationDataException($"{where} ({rule.Metric}): give exactly one of 'min', 'max' or 'noRegression' (found {kinds}).");
            }

            if (rule.HigherIsBetter is not null && rule.NoRegression is null)
            {
                throw new EvaluationDataException($"{where} ({rule.Metric}): 'higherIsBetter' applies only to a 'noRegression' rule.");
            }

            if (rule.NoRegression is double tolerance && (tolerance < 0 || double.IsNaN(tolerance)))
            {
                throw new EvaluationDataException($"{where} ({rule.Metric}): 'noRegression' is the largest accepted drop and must be zero or more, but is {tolerance.ToString(CultureInfo.InvariantCulture)}.");
            }

            _ = rule switch
            {
                { Min: double min } => gate.AtLeast(rule.Metric, min),
                { Max: double max } => gate.AtMost(rule.Metric, max),
                _ => gate.NoRegression(rule.Metric, rule.NoRegression!.Value, rule.HigherIsBetter ?? true),
            };
        }

        return gate;
    }

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
