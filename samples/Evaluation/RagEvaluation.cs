using System.Globalization;
using AiEng.Evaluation;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.Evaluation;

/// <summary>
/// The sample's pipeline: ingest a docs folder into an in-memory store, answer each question through
/// <c>UseRetrieval</c> over the chat client, score the answers and the retrieval, write every report, compare with a
/// baseline and apply a gate. Every piece comes from the services <see cref="EvaluationSampleServices.AddEvaluationSample"/>
/// registers.
/// </summary>
public static class RagEvaluation
{
    /// <summary>Exit code: the run finished (and the gate, if asked for, passed).</summary>
    public const int Passed = EvaluationGateCommand.Passed;

    /// <summary>Exit code: a gate check failed.</summary>
    public const int GateFailed = EvaluationGateCommand.Failed;

    /// <summary>The gate's minimums when none are given.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> DefaultMinimums { get; } =
    [
        new("Recall@5", 0.7),
        new("MRR@5", 0.5),
        new("Token F1", 0.1),
    ];

    /// <summary>Metrics whose significant drop against the baseline fails the gate.</summary>
    public static IReadOnlyList<string> NoRegressionMetrics { get; } = ["nDCG@5", "Token F1"];

    /// <summary>Returns the retriever named <paramref name="name"/>: <c>hybrid</c>, <c>dense</c> or <c>keyword</c>, in any letter case.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of them.</exception>
    public static RetrieverKind ParseRetriever(string name) =>
        Enum.TryParse(name, ignoreCase: true, out RetrieverKind kind) && Enum.IsDefined(kind) && !char.IsAsciiDigit(name.FirstOrDefault())
            ? kind
            : throw new ArgumentException($"Unknown retriever '{name}': use hybrid, dense or keyword.", nameof(name));

    /// <summary>Runs the evaluation.</summary>
    /// <param name="services">
    /// The services of <see cref="EvaluationSampleServices.AddEvaluationSample"/>: the answering model (the offline
    /// extractive responder or a configured one), the judge of the <see cref="EvaluationRunnerFactory"/> (none offline: the
    /// LLM judges are skipped), the ingestor, the recorded retriever and the evaluators.
    /// </param>
    /// <param name="settings">What to evaluate and where to write; the same as given to <c>AddEvaluationSample</c>.</param>
    /// <param name="output">Receives the summary.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The finished run and its exit code.</returns>
    public static async Task<(EvaluationRun Run, int ExitCode)> RunAsync(
        IServiceProvider services,
        RagEvaluationSettings settings,
        TextWriter output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Top, 1);

        // Fail on a bad question file or an unwritable folder before any model call.
        var dataset = await EvaluationDataset.LoadJsonlAsync(settings.QuestionsPath, cancellationToken);
        EvaluationReports.EnsureWritable(settings.OutputDirectory);
        EvaluationRun? baseline = settings.BaselinePath is null ? null : await EvaluationRun.LoadAsync(ReportPath(settings.BaselinePath), cancellationToken);

        var chat = services.GetRequiredService<IChatClient>();
        var embeddings = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var factory = services.GetRequiredService<EvaluationRunnerFactory>();
        IChatClient? judge = factory.Judge;

        // 1. Ingest the docs into the registered (in-memory) store.
        var ingestor = services.GetRequiredService<DocumentIngestor>();
        var loader = new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions { Include = ["**/*.md"] });
        var ingested = await ingestor.IngestDirectoryAsync(loader, settings.DocsDirectory, cancellationToken: cancellationToken);
        await output.WriteLineAsync($"Ingested {settings.DocsDirectory}: {ingested}");

        // 2. The registered retriever under test, recorded so the retrieval metrics see what the model was given.
        var retriever = services.GetRequiredService<RecordingRetriever>();
        var builder = chat.AsBuilder().UseRetrieval(retriever, options =>
        {
            options.Top = settings.Top;
            options.CitedSourcesOnly = false;
        });
        if (settings.CacheDirectory is { } cache && judge is not null)
        {
            builder.UseDiskResponseCache(cache);   // a configured model: a re-run with the same prompts costs nothing
        }

        // Not disposed: disposing the pipeline would dispose the container's chat client.
        var rag = builder.Build();
        EvaluationTarget target = async (evaluationCase, token) =>
        {
            var recorded = RecordingRetriever.BeginRecording();
            var response = await rag.GetResponseAsync(evaluationCase.Input, cancellationToken: token);
            return new EvaluationTargetOutput(response)
            {
                Contexts = recorded.Select(static c => c.Chunk.Text).ToArray(),
                RetrievedIds = recorded.Select(static c => c.Chunk.DocumentId).Distinct(StringComparer.Ordinal).ToArray(),
            };
        };

        // 3. Evaluate with the registered evaluators, this question set's key phrases and, with a judge, the LLM judges.
        List<IEvaluator> evaluators = [.. services.GetServices<IEvaluator>(), new KeyPhraseEvaluator(dataset)];
        if (judge is not null)
        {
            evaluators.Add(new FaithfulnessEvaluator());
            evaluators.Add(new AnswerRelevancyEvaluator(embeddings));
            evaluators.Add(LlmJudgeEvaluator.Correctness());
        }

        var runner = factory.Create(evaluators);   // run name, output folder, resume, cache and judge from AddEvaluation
        var run = await runner.RunAsync(dataset, target, cancellationToken);

        // 4. Gate, reports, summary.
        GateResult? gate = null;
        if (settings.Gate)
        {
            var checks = new EvaluationGate();
            foreach (var (metric, minimum) in settings.Minimums.Count > 0 ? settings.Minimums : DefaultMinimums)
            {
                checks.AtLeast(metric, minimum);
            }

            if (baseline is not null)
            {
                foreach (string metric in NoRegressionMetrics)
                {
                    checks.NoRegression(metric, tolerance: 0.02);
                }
            }

            gate = checks.Evaluate(run, baseline);
        }

        await EvaluationReports.WriteAllAsync(run, settings.OutputDirectory, baseline, gate, cancellationToken);
        await WriteSummaryAsync(run, baseline, gate, settings, output);
        return (run, gate is { Passed: false } ? GateFailed : Passed);
    }

    /// <summary>The <c>report.json</c> of a run folder, or the path itself when it names a file.</summary>
    public static string ReportPath(string folderOrFile) =>
        Directory.Exists(folderOrFile) ? Path.Combine(folderOrFile, "report.json") : folderOrFile;

    private static async Task WriteSummaryAsync(EvaluationRun run, EvaluationRun? baseline, GateResult? gate, RagEvaluationSettings settings, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Run '{run.Name}': {run.Cases.Count} questions, {run.Cases.Count(static c => c.Error is not null)} failed");
        await output.WriteLineAsync($"{"metric",-22} {"mean",7} {"min",7} {"max",7} {"cases",5}");
        foreach (var summary in run.Summary)
        {
            await output.WriteLineAsync(string.Create(inv, $"{summary.Name,-22} {summary.Mean,7:F3} {summary.Min,7:F3} {summary.Max,7:F3} {summary.Count,5}"));
        }

        if (baseline is not null)
        {
            var comparison = RunComparison.Compare(baseline, run);
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Compared with '{comparison.BaselineName}' (paired bootstrap 95% CI; * = interval excludes 0):");
            await output.WriteLineAsync($"{"metric",-22} {"baseline",8} {"current",8} {"delta",8}  {"95% CI",-18}");
            foreach (var delta in comparison.Deltas)
            {
                string ci = string.Create(inv, $"[{delta.Lower:+0.000;-0.000}, {delta.Upper:+0.000;-0.000}]");
                await output.WriteLineAsync(string.Create(inv, $"{delta.Metric,-22} {delta.BaselineMean,8:F3} {delta.CurrentMean,8:F3} {delta.Delta,8:+0.000;-0.000}  {ci,-18}{(delta.Significant ? " *" : string.Empty)}"));
            }
        }

        if (gate is not null)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync(gate.ToString());
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Reports: {Path.GetFullPath(settings.OutputDirectory)} (report.json, summary.md, junit.xml, report.html)");
    }
}
