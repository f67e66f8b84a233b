using AiEng.Evaluation;
using AiEng.Inference;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Tests.Evaluation.ModelChoice;

public sealed class ModelComparisonTests
{
    private const string Metric = "Exact Match";

    /// <summary>A run of <paramref name="cases"/> cases, the first <paramref name="correct"/> right, each costing <paramref name="cost"/>.</summary>
    private static EvaluationRun Run(string name, int cases, int correct, decimal? cost, int failures = 0) => new()
    {
        Name = name,
        Dataset = "set",
        Cases = [.. Enumerable.Range(0, cases).Select(i => new CaseResult
        {
            Id = $"c{i}",
            Input = $"q{i}",
            LatencyMs = 10 * (i + 1),
            Cost = cost,
            Error = i >= cases - failures ? "timeout" : null,
            Metrics = i >= cases - failures ? [] : [new MetricScore { Name = Metric, Value = i < correct ? 1 : 0 }],
        })],
    };

    private static ModelComparisonOptions Options() => new() { Metric = Metric };

    [Fact]
    public void Recommends_the_cheapest_model_not_significantly_below_the_best_and_marks_the_pareto_front()
    {
        // big: 38/40 at 10.0 per call; mid: 36/40 at 1.0 (within noise of big); small: 20/40 at 0.1; wasteful: 30/40 at 20.0.
        ModelComparison comparison = ModelComparison.FromRuns(
            [Run("big", 40, 38, 0.010m), Run("mid", 40, 36, 0.001m), Run("small", 40, 20, 0.0001m), Run("wasteful", 40, 30, 0.020m)], Options());

        Assert.Equal("big", comparison.Best!.Model);
        Assert.Equal("mid", comparison.Recommended!.Model);
        ModelComparisonRow big = comparison.Rows[0], mid = comparison.Rows[1], small = comparison.Rows[2], wasteful = comparison.Rows[3];
        Assert.Equal((0.95, 10m), (big.Quality, big.CostPer1000!.Value));
        Assert.Equal(1m, mid.CostPer1000);
        Assert.False(mid.IsSignificantlyBelowBest);
        Assert.True(mid.DeltaLower < 0 && mid.DeltaUpper >= 0);
        Assert.Equal(-0.05, mid.DeltaToBest, precision: 10);
        Assert.True(small.IsSignificantlyBelowBest);
        Assert.True(small.DeltaUpper < 0);
        Assert.Equal([true, true, true, false], comparison.Rows.Select(static r => r.IsParetoOptimal));
        Assert.True(wasteful.IsSignificantlyBelowBest);
        Assert.True(big.QualityLower < 0.95 && big.QualityUpper <= 1);
    }

    [Fact]
    public void The_best_is_recommended_when_every_cheaper_model_is_significantly_worse()
    {
        ModelComparison comparison = ModelComparison.FromRuns([Run("big", 60, 58, 0.01m), Run("small", 60, 20, 0.001m)], Options());

        Assert.Same(comparison.Best, comparison.Recommended);
        Assert.StartsWith("Recommended: big, the best", comparison.ToMarkdown().Split('\n')[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_cases_score_zero_and_are_counted()
    {
        ModelComparison comparison = ModelComparison.FromRuns([Run("flaky", 10, 10, 0.01m, failures: 4)], Options());

        ModelComparisonRow row = comparison.Rows[0];
        Assert.Equal((4, 10), (row.Failures, row.Cases));
        Assert.Equal(0.6, row.Quality, precision: 10);
        Assert.Equal(50, row.LatencyP50Ms);
        Assert.Equal(100, row.LatencyP95Ms);
    }

    [Fact]
    public void Cost_is_not_measured_when_a_case_has_none_and_such_a_model_is_off_the_front()
    {
        ModelComparison comparison = ModelComparison.FromRuns([Run("a", 10, 9, null), Run("b", 10, 9, 0.01m)], Options());

        Assert.Null(comparison.Rows[0].CostPer1000);
        Assert.False(comparison.Rows[0].IsParetoOptimal);
        Assert.True(comparison.Rows[1].IsParetoOptimal);
        Assert.Equal("b", comparison.Recommended!.Model);
        Assert.Contains("| not measured |", comparison.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Same_runs_give_the_same_intervals()
    {
        EvaluationRun[] runs = [Run("big", 40, 38, 0.01m), Run("mid", 40, 33, 0.001m)];

        Assert.Equal(ModelComparison.FromRuns(runs, Options()).Rows, ModelComparison.FromRuns(runs, Options()).Rows);
    }

    [Fact]
    public void Rejects_bad_input_saying_how_to_fix_it()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelComparison.FromRuns([Run("a", 5, 5, null)], new ModelComparisonOptions { Metric = "Token F1" }));
        Assert.Contains("No case of run 'a' has the metric 'Token F1'. Metrics in the run: 'Exact Match'", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => ModelComparison.FromRuns([Run("a", 5, 5, null), Run("A", 5, 5, null)], Options()));
        Assert.Contains("'A' is given more than once", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ModelComparison.FromRuns([], Options()));
        error = Assert.Throws<ArgumentException>(() => ModelComparison.FromRuns([Run("a", 5, 5, null)], new ModelComparisonOptions()));
        Assert.Contains("ModelComparisonOptions.Metric", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelComparison.FromRuns([Run("a", 5, 5, null)], new ModelComparisonOptions { Metric = Metric, Confidence = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelComparison.FromRuns([Run("a", 5, 5, null)], new ModelComparisonOptions { Metric = Metric, Resamples = 10 }));
    }

    [Fact]
    public async Task Runs_each_candidate_through_the_evaluation_runner_with_cost_from_the_usage_ledger()
    {
        var dataset = new EvaluationDataset("capitals", [.. Enumerable.Range(0, 20).Select(i => new EvaluationCase($"c{i}", $"Capital {i}?") { Reference = $"city {i}" })]);
        var ledger = new UsageLedger();
        var usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 100 };
        void Prices(UsageTrackingOptions o)
        {
            o.Prices["large"] = new ModelPrice { InputPerMillion = 2.50m, OutputPerMillion = 10m };
            o.Prices["tiny"] = new ModelPrice { InputPerMillion = 0.10m, OutputPerMillion = 0.40m };
        }

        // "large" knows every capital; "tiny" only the even ones.
        IChatClient Model(string id, Func<int, bool> knows) => new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                int i = int.Parse(messages.Last().Text!.Split(' ')[1].TrimEnd('?'), System.Globalization.CultureInfo.InvariantCulture);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, knows(i) ? $"city {i}" : "Paris")) { ModelId = id, Usage = usage });
            },
        }.AsBuilder().UseUsageTracking(ledger, Prices).Build();

        var progress = new List<string>();
        ModelComparison comparison = await ModelComparison.RunAsync(
            dataset,
            [new ModelCandidate("large", Model("large", static _ => true)), new ModelCandidate("tiny", Model("tiny", static i => i % 2 == 0))],
            [new ExactMatchEvaluator()],
            new ModelComparisonOptions { Metric = Metric, UsageLedger = ledger, Progress = new SyncProgress<(string Model, EvaluationProgress Progress)>(p => progress.Add(p.Model)) });

        Assert.Equal(["large", "tiny"], comparison.Runs.Select(static r => r.Name));
        Assert.Equal((1.0, 0.5), (comparison.Rows[0].Quality, comparison.Rows[1].Quality));

        // 1,000 requests of 1,000 input and 100 output tokens: 2.5 + 1.0 for "large", 0.1 + 0.04 for "tiny".
        Assert.Equal(3.5m, comparison.Rows[0].CostPer1000);
        Assert.Equal(0.14m, comparison.Rows[1].CostPer1000);
        Assert.Equal("large", comparison.Recommended!.Model);
        Assert.True(comparison.Rows[1].IsSignificantlyBelowBest);
        Assert.Equal(20, progress.Count(static m => m == "large"));
        Assert.Equal(20, progress.Count(static m => m == "tiny"));
    }

    [Fact]
    public async Task Resumes_from_the_output_folder_without_calling_a_finished_candidate_again()
    {
        using var temp = new TempDirectory();
        var dataset = new EvaluationDataset("set", [new EvaluationCase("a", "x") { Reference = "y" }, new EvaluationCase("b", "x") { Reference = "y" }]);
        var model = TestChatClient.Replying("y");
        var options = new ModelComparisonOptions { Metric = Metric, OutputDirectory = temp.Path };

        await ModelComparison.RunAsync(dataset, [new ModelCandidate("m/1", model)], [new ExactMatchEvaluator()], options);
        ModelComparison again = await ModelComparison.RunAsync(dataset, [new ModelCandidate("m/1", model)], [new ExactMatchEvaluator()], options);

        Assert.Equal(2, model.CallCount);
        Assert.True(File.Exists(Path.Combine(temp.Path, "m_1", EvaluationRunner.CasesFileName)));
        Assert.Equal(1.0, again.Rows[0].Quality);
    }

    [Fact]
    public void Candidates_come_from_the_configured_named_models()
    {
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("fast", TestChatClient.Replying("f"));
        services.AddKeyedSingleton<IChatClient>("smart", TestChatClient.Replying("s"));
        using ServiceProvider provider = services.BuildServiceProvider();

        IReadOnlyList<ModelCandidate> candidates = ModelCandidate.FromServices(provider, ["fast", "smart"]);

        Assert.Equal(["fast", "smart"], candidates.Select(static c => c.Name));
        Assert.Same(provider.GetRequiredKeyedService<IChatClient>("smart"), candidates[1].Client);
        var error = Assert.Throws<InvalidOperationException>(() => ModelCandidate.FromServices(provider, ["fast", "huge"]));
        Assert.Contains("'huge' is not a configured chat model: add it under AiEng:ChatModels:huge", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_and_html_show_the_table_the_front_and_the_verdict()
    {
        ModelComparison comparison = ModelComparison.FromRuns([Run("big", 40, 38, 0.010m), Run("mid", 40, 36, 0.001m), Run("<small>", 40, 20, 0.0001m)], Options());

        string md = comparison.ToMarkdown();
        Assert.Contains("Recommended: mid (Exact Match 0.900, 1.0000 per 1,000 requests), the cheapest model not significantly below the best, big (0.950, 10.0000), at 95% confidence.", md, StringComparison.Ordinal);
        Assert.Contains("| big * | 0.950 |", md, StringComparison.Ordinal);
        Assert.Contains("| mid † | 0.900 |", md, StringComparison.Ordinal);

        string html = comparison.ToHtml();
        Assert.Contains("&lt;small&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<small>", html, StringComparison.Ordinal);
        Assert.Contains("<polyline id=\"pareto-front\"", html, StringComparison.Ordinal);
        Assert.Contains("data-model=\"mid\" data-pareto=\"yes\"", html, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task The_html_renders_in_headless_chromium_with_a_point_per_model()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("models.html");
        await ModelComparison.FromRuns([Run("big", 40, 38, 0.010m), Run("mid", 40, 36, 0.001m), Run("small", 40, 20, 0.0001m)], Options()).WriteAsync(path);

        string dom = await Chromium.DumpDomAsync(path);

        Assert.Equal(3, dom.Split("<g class=\"model\"").Length - 1);
        Assert.Contains("<table id=\"models\">", dom, StringComparison.Ordinal);
        Assert.Contains("Recommended: mid", dom, StringComparison.Ordinal);
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
