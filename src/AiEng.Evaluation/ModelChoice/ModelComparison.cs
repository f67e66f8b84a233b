using AiEng.Shared;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// Chooses a chat model on evidence: runs the same evaluation on every candidate and tabulates quality (with its
/// bootstrap interval), cost per 1,000 requests, p50/p95 latency and failures; marks the models on the quality/cost
/// Pareto front and names the cheapest model whose quality is not significantly below the best
/// (<see cref="Recommended"/>). Renders as Markdown or as HTML with an SVG chart of quality against cost.
/// </summary>
/// <remarks>
/// <para>
/// Each candidate is one <see cref="EvaluationRunner"/> run named after it; cost is read from the usage ledger the
/// candidates record into (<see cref="ModelComparisonOptions.UsageLedger"/>), so prices come from the same price table
/// as everywhere else. A failed case scores zero: an unanswered request is a wrong one for the user.
/// </para>
/// <para>
/// "Significantly below the best" is a paired bootstrap over the cases both models scored: the interval of the mean
/// difference lies below zero. The bootstrap is seeded, so the same runs always give the same table.
/// </para>
/// </remarks>
public sealed class ModelComparison
{
    private ModelComparison(string metric, double confidence, IReadOnlyList<ModelComparisonRow> rows, IReadOnlyList<EvaluationRun> runs)
    {
        Metric = metric;
        Confidence = confidence;
        Rows = rows;
        Runs = runs;
        Best = rows.Count == 0 ? null : rows.MaxBy(static r => r.Quality);
        Recommended = rows.Count == 0 ? null
            : rows.Where(static r => !r.IsSignificantlyBelowBest)
                .OrderBy(static r => r.CostPer1000 ?? decimal.MaxValue)
                .ThenByDescending(static r => r.Quality)
                .First();
    }

    /// <summary>Gets the quality metric.</summary>
    public string Metric { get; }

    /// <summary>Gets the confidence level of the intervals.</summary>
    public double Confidence { get; }

    /// <summary>Gets one row per candidate, in the order given.</summary>
    public IReadOnlyList<ModelComparisonRow> Rows { get; }

    /// <summary>Gets the evaluation runs the rows come from, one per candidate.</summary>
    public IReadOnlyList<EvaluationRun> Runs { get; }

    /// <summary>Gets the model of the highest mean quality, or <see langword="null"/> when there is no candidate.</summary>
    public ModelComparisonRow? Best { get; }

    /// <summary>
    /// Gets the cheapest model whose quality is not significantly below the best (the best itself when cost was not
    /// measured or nothing cheaper qualifies), or <see langword="null"/> when there is no candidate.
    /// </summary>
    public ModelComparisonRow? Recommended { get; }

    /// <summary>Runs the data set on every candidate and compares them.</summary>
    /// <param name="dataset">The labelled cases.</param>
    /// <param name="candidates">The models, each with a unique name.</param>
    /// <param name="evaluators">The evaluators; one of them must produce <see cref="ModelComparisonOptions.Metric"/>.</param>
    /// <param name="options">The quality metric, the ledger for cost, and the statistics.</param>
    /// <param name="cancellationToken">Stops the comparison; with <see cref="ModelComparisonOptions.OutputDirectory"/> finished cases are kept for a rerun.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentException">No candidate, a repeated name, or no quality metric named; or no case has the metric.</exception>
    public static async Task<ModelComparison> RunAsync(
        EvaluationDataset dataset,
        IEnumerable<ModelCandidate> candidates,
        IEnumerable<IEvaluator> evaluators,
        ModelComparisonOptions options,
        CancellationToken cancellationToken = default)
    {
        Throw.IfNull(dataset);
        Throw.IfNull(candidates);
        Throw.IfNull(evaluators);
        Throw.IfNull(options);
        options.Validate();
        ModelCandidate[] list = [.. candidates];
        CheckNames([.. list.Select(static c => c?.Name ?? throw new ArgumentException("A candidate is null.", nameof(candidates)))], nameof(candidates));
        IEvaluator[] scorers = [.. evaluators];
        if (options.OutputDirectory is not null && list.Select(static c => SafeFolder(c.Name)).Distinct(StringComparer.OrdinalIgnoreCase).Count() < list.Length)
        {
            throw new ArgumentException("Two candidate names map to the same run folder (letters, digits, '-', '_' and '.' are kept, anything else becomes '_'); rename one.", nameof(candidates));
        }

        var runs = new List<EvaluationRun>(list.Length);
        foreach (ModelCandidate candidate in list)
        {
            var runner = new EvaluationRunner(scorers, new EvaluationRunnerOptions
            {
                RunName = candidate.Name,
                MaxConcurrency = options.MaxConcurrency,
                UsageLedger = options.UsageLedger,
                OutputDirectory = options.OutputDirectory is null ? null : Path.Combine(options.OutputDirectory, SafeFolder(candidate.Name)),
                Progress = options.Progress is null ? null : new Forward(options.Progress, candidate.Name),
            });
            runs.Add(await runner.RunAsync(dataset, EvaluationTargets.FromChatClient(candidate.Client, candidate.Options, candidate.SystemPrompt), cancellationToken).ConfigureAwait(false));
        }

        return FromRuns(runs, options);
    }

    /// <summary>Compares finished runs of the same data set, one per model (each run's <see cref="EvaluationRun.Name"/> is the model's name).</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="options">The quality metric and the statistics (the ledger and concurrency are not used).</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentException">No run, a repeated name, no quality metric named, or a run in which no case has the metric.</exception>
    public static ModelComparison FromRuns(IEnumerable<EvaluationRun> runs, ModelComparisonOptions options)
    {
        Throw.IfNull(runs);
        Throw.IfNull(options);
        options.Validate();
        EvaluationRun[] list = [.. runs];
        CheckNames([.. list.Select(static r => r?.Name ?? throw new ArgumentException("A run is null.", nameof(runs)))], nameof(runs));

        var scores = new Dictionary<string, double>[list.Length];
        for (int i = 0; i < list.Length; i++)
        {
            scores[i] = Scores(list[i], options.Metric);
        }

        int best = Enumerable.Range(0, list.Length).MaxBy(i => scores[i].Values.Average());
        var rows = new ModelComparisonRow[list.Length];
        for (int i = 0; i < list.Length; i++)
        {
            EvaluationRun run = list[i];
            double[] values = [.. scores[i].Values];
            (double lower, double upper) = RunComparison.BootstrapInterval(values, options.Confidence, options.Resamples, options.Seed);
            double[] differences = [.. scores[i].Where(p => scores[best].ContainsKey(p.Key)).Select(p => p.Value - scores[best][p.Key])];
            (double deltaLower, double deltaUpper) = i == best || differences.Length == 0
                ? (0, 0)
                : RunComparison.BootstrapInterval(differences, options.Confidence, options.Resamples, options.Seed);
            double[] latencies = [.. run.Cases.Select(static c => c.LatencyMs).Order()];
            rows[i] = new ModelComparisonRow
            {
                Model = run.Name,
                Cases = run.Cases.Count,
                Failures = run.Cases.Count(static c => c.Error is not null),
                Quality = values.Average(),
                QualityLower = lower,
                QualityUpper = upper,
                CostPer1000 = run.Cases.Count > 0 && run.Cases.All(static c => c.Cost is not null)
                    ? Math.Round(run.Cases.Sum(static c => c.Cost!.Value) * 1000m / run.Cases.Count, 6)
                    : null,
                LatencyP50Ms = Quantile(latencies, 0.50),
                LatencyP95Ms = Quantile(latencies, 0.95),
                DeltaToBest = differences.Length == 0 ? 0 : differences.Average(),
                DeltaLower = deltaLower,
                DeltaUpper = deltaUpper,
                IsSignificantlyBelowBest = i != best && differences.Length >= 2 && deltaUpper < 0,
            };
        }

        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = rows[i] with { IsParetoOptimal = IsParetoOptimal(rows[i], rows) };
        }

        return new ModelComparison(options.Metric, options.Confidence, rows, list);
    }

    /// <summary>Renders the table as Markdown, with the Pareto front and the recommendation.</summary>
    /// <returns>The Markdown text.</returns>
    public string ToMarkdown() => ModelComparisonReport.Markdown(this);

    /// <summary>Renders the table and an SVG chart of quality (with its interval) against cost as one self-contained HTML page.</summary>
    /// <returns>The HTML text.</returns>
    public string ToHtml() => ModelComparisonReport.Html(this);

    /// <summary>Writes the comparison to a file, as HTML when its extension is <c>.html</c> or <c>.htm</c> and as Markdown otherwise; the file is replaced whole.</summary>
    /// <param name="path">The file to write; its folder is created when missing.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public Task WriteAsync(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteReportAsync(Throw.IfNullOrWhitespace(path), ToHtml, ToMarkdown, cancellationToken);

    internal static void CheckNames(string[] names, string parameterName)
    {
        if (names.Length == 0)
        {
            throw new ArgumentException("Give at least one model to compare.", parameterName);
        }

        if (names.FirstOrDefault(string.IsNullOrWhiteSpace) is not null)
        {
            throw new ArgumentException("A model name is empty; name every candidate.", parameterName);
        }

        if (names.GroupBy(static n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(static g => g.Count() > 1) is { } repeated)
        {
            throw new ArgumentException($"The model name '{repeated.Last()}' is given more than once (names are compared ignoring case); each candidate needs its own name.", parameterName);
        }
    }

    /// <summary>Each case's quality: the metric's value, zero for a failed case; cases the evaluators could not score are left out.</summary>
    private static Dictionary<string, double> Scores(EvaluationRun run, string metric)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (CaseResult item in run.Cases)
        {
            if (item.Error is not null)
            {
                scores[item.Id] = 0;
            }
            else if (item.GetValue(metric) is double value)
            {
                scores[item.Id] = value;
            }
        }

        if (run.Cases.Count == 0)
        {
            throw new ArgumentException($"Run '{run.Name}' has no cases; compare runs of the same, non-empty data set.", nameof(run));
        }

        if (run.Cases.Any(static c => c.Error is null) && !run.Cases.Any(c => c.Error is null && c.GetValue(metric) is not null))
        {
            string known = string.Join(", ", run.MetricNames.Select(static m => $"'{m}'"));
            throw new ArgumentException(
                $"No case of run '{run.Name}' has the metric '{metric}'. Metrics in the run: {(known.Length == 0 ? "none" : known)}; set ModelComparisonOptions.Metric to one of them or add its evaluator.",
                nameof(metric));
        }

        return scores;
    }

    private static bool IsParetoOptimal(ModelComparisonRow row, ModelComparisonRow[] rows) =>
        row.CostPer1000 is decimal cost && !rows.Any(other => !ReferenceEquals(other, row) && other.CostPer1000 is decimal otherCost
            && otherCost <= cost && other.Quality >= row.Quality && (otherCost < cost || other.Quality > row.Quality));

    /// <summary>The nearest-rank quantile of sorted values (zero for none).</summary>
    private static double Quantile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string SafeFolder(string name) =>
        string.Concat(name.Select(static c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    private sealed class Forward(IProgress<(string Model, EvaluationProgress Progress)> inner, string model) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => inner.Report((model, value));
    }
}
