using AiEng.Evaluation;
using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.CostOptimization;

/// <summary>
/// Step 5, choosing a model and reporting usage: three priced models named in configuration (<c>AiEng:ChatModels</c>),
/// served by the AiEng.Testing OpenAI-compatible server on loopback and called through the OpenAI provider, answer the
/// cascade step's questions; <see cref="ModelComparison"/> tabulates quality, cost and latency and recommends the cheapest
/// model not significantly below the best; <see cref="UsageReport"/> then writes what the step spent, as Markdown and HTML.
/// </summary>
internal static class ModelChoiceStep
{
    /// <summary>The candidates: a strong expensive model, a weak cheap one, and a strong one at a middle price.</summary>
    public static readonly IReadOnlyList<(string Name, string Model, bool Strong, decimal InputPerMillion, decimal OutputPerMillion)> Candidates =
    [
        ("large", "gpt-4o", true, 2.50m, 10m),
        ("small", "gpt-4o-mini", false, 0.15m, 0.60m),
        ("newer", "gpt-4.1-mini", true, 0.40m, 1.60m),
    ];

    /// <summary>Runs the comparison and writes the reports into <paramref name="reportFolder"/>; returns the comparison and the usage report.</summary>
    /// <param name="reportFolder">Where <c>models.html</c>, <c>usage.html</c> and <c>usage.md</c> go.</param>
    /// <param name="output">Where to print.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<(ModelComparison Comparison, UsageReport Usage)> RunAsync(string reportFolder, TextWriter output, CancellationToken cancellationToken = default)
    {
        output.WriteLine("== Step 5: choosing a model (ModelComparison) and the usage report (UsageReport)");
        output.WriteLine($"   {CascadeStep.Workload.Count} arithmetic questions for {Candidates.Count} models named in AiEng:ChatModels, served by a local OpenAI-compatible server.");

        await using var server = await OpenAITestServer.StartAsync(
            new OpenAITestServerOptions { ChatHandler = AnswerAsync, Models = [.. Candidates.Select(static c => c.Model)] },
            cancellationToken).ConfigureAwait(false);
        var settings = new Dictionary<string, string?>();
        foreach (var (name, model, _, input, outputPrice) in Candidates)
        {
            settings[$"AiEng:ChatModels:{name}:Provider"] = "OpenAI";
            settings[$"AiEng:ChatModels:{name}:Model"] = model;
            settings[$"AiEng:ChatModels:{name}:Endpoint"] = server.BaseAddress.ToString();
            settings[$"AiEng:Usage:Prices:{model}:InputPerMillion"] = input.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings[$"AiEng:Usage:Prices:{model}:OutputPerMillion"] = outputPrice.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var services = new ServiceCollection();
        services.AddAiEng(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).AddOpenAI();
        await using ServiceProvider provider = services.BuildServiceProvider();
        var ledger = (UsageLedger)provider.GetRequiredService<IUsageLedger>();

        var dataset = new EvaluationDataset("arithmetic", CascadeStep.Workload.Select(static (q, i) => new EvaluationCase($"q{i + 1}", q.Question) { Reference = q.Answer }));
        ModelComparison comparison = await ModelComparison.RunAsync(
            dataset,
            ModelCandidate.FromServices(provider, Candidates.Select(static c => c.Name)),
            [new ExactMatchEvaluator()],
            new ModelComparisonOptions { Metric = ExactMatchEvaluator.MetricName, UsageLedger = ledger, MaxConcurrency = 2 },
            cancellationToken).ConfigureAwait(false);

        foreach (ModelComparisonRow row in comparison.Rows)
        {
            output.WriteLine($"   {row.Model,-6} exact match {row.Quality:0.00} [{row.QualityLower:0.00}, {row.QualityUpper:0.00}], {row.CostPer1000:0.0000} USD per 1,000 requests, p50 {row.LatencyP50Ms:0} ms{(row.IsParetoOptimal ? ", on the Pareto front" : string.Empty)}{(row.IsSignificantlyBelowBest ? ", significantly below the best" : string.Empty)}");
        }

        output.WriteLine($"   recommended: {comparison.Recommended!.Model} (the cheapest model not significantly below the best, {comparison.Best!.Model})");

        UsageReport usage = UsageReport.FromLedger(ledger, new UsageReportOptions { Title = "Cost sample: model choice" });
        await comparison.WriteAsync(Path.Combine(reportFolder, "models.html"), cancellationToken).ConfigureAwait(false);
        await usage.WriteAsync(Path.Combine(reportFolder, "usage.html"), cancellationToken).ConfigureAwait(false);
        await usage.WriteAsync(Path.Combine(reportFolder, "usage.md"), cancellationToken).ConfigureAwait(false);
        output.WriteLine($"   usage: {usage.Total.Calls} calls, {usage.Total.Cost:0.000000} USD; reports in {reportFolder} (models.html, usage.html, usage.md)");
        return (comparison, usage);
    }

    /// <summary>The server's answer: each model answers as the cascade step's stand-in of its strength would.</summary>
    private static ValueTask<OpenAITestChatReply> AnswerAsync(OpenAITestChatRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SimulatedArithmeticModel.Reply(request, Candidates.Single(c => c.Model == request.Model).Strong));
}
