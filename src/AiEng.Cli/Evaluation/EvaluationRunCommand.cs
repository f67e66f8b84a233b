using System.CommandLine;
using System.Globalization;
using AiEng.Evaluation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Cli.Evaluation;

/// <summary>
/// <c>aieng eval run DATASET</c>: <see cref="EvaluationDataset.LoadJsonlAsync"/>, the <see cref="EvaluationRunnerFactory"/>
/// of <c>AddEvaluation()</c> over the configured chat model (<see cref="EvaluationTargets.FromChatClient"/>), and
/// <see cref="EvaluationReports.WriteAllAsync"/> into the run folder.
/// </summary>
internal static class EvaluationRunCommand
{
    /// <summary>The metrics <c>--metric</c> accepts, by name.</summary>
    private static readonly string[] MetricNames =
        ["exact-match", "token-f1", "rouge-l", "bleu", "json", "embedding-similarity", "faithfulness", "answer-relevancy", "correctness", "relevance", "coherence"];

    private static readonly Argument<string> Dataset = new("DATASET") { Description = "The data set: a JSON lines file, one case a line ({\"id\", \"input\", \"reference\", \"contexts\", ...})." };

    private static readonly Option<string?> Out = new("--out", "-o")
    {
        Description = "The run folder: cases.jsonl (resumable), report.json, summary.md, junit.xml, report.html. Default: runs/NAME.",
        HelpName = "DIR",
    };

    private static readonly Option<string?> Name = new("--name") { Description = "The run's name. Default: AiEng:Evaluation:RunName, else 'run'.", HelpName = "NAME" };

    private static readonly Option<string[]> Metrics = new("--metric", "-m")
    {
        Description = "A metric to score (repeatable): " + string.Join(", ", MetricNames) + ". Default: exact-match, token-f1, rouge-l. Judges need a chat model (AiEng:Evaluation:JudgeModel).",
        HelpName = "METRIC",
    };

    private static readonly Option<string?> SystemPrompt = new("--system") { Description = "A system message sent before each case's input.", HelpName = "TEXT" };

    private static readonly Option<string?> Baseline = new("--baseline") { Description = "A previous run (folder or report.json) to compare with in the reports.", HelpName = "RUN" };

    private static readonly Option<bool> Fresh = new("--fresh") { Description = "Start afresh instead of resuming the cases already in the run folder." };

    static EvaluationRunCommand() => Metrics.AcceptOnlyFromAmong(MetricNames);

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "run",
            "Runs every case of DATASET through the configured chat model (AiEng:Chat; offline: the extractive responder), scores the metrics and writes the run folder. A run that was stopped resumes where it stopped.",
            "aieng eval run eval/questions.jsonl --name pr-42 --out runs/pr-42",
            "aieng eval run eval/questions.jsonl -m token-f1 -m faithfulness --baseline runs/main --json");
        command.Add(Dataset);
        command.Add(Out);
        command.Add(Name);
        command.Add(Metrics);
        command.Add(SystemPrompt);
        command.Add(Baseline);
        command.Add(Fresh);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            EvaluationDataset dataset = await EvaluationDataset.LoadJsonlAsync(context.ExistingFile(context.GetValue(Dataset), "DATASET"), cancellationToken);
            EvaluationRun? baseline = context.GetValue(Baseline) is string baselinePath
                ? await EvaluationCommands.LoadRunAsync(context, baselinePath, "--baseline", cancellationToken)
                : null;

            await using var services = context.BuildServices(builder => builder.AddEvaluation());
            var factory = services.GetRequiredService<EvaluationRunnerFactory>();
            string name = context.GetValue(Name) ?? services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EvaluationServiceOptions>>().Value.RunName;
            string directory = context.FullPath(context.GetValue(Out) ?? Path.Combine("runs", name));
            EvaluationReports.EnsureWritable(directory);

            IEvaluator[] evaluators = CreateEvaluators(context.GetValue(Metrics) is { Length: > 0 } chosen ? chosen : ["exact-match", "token-f1", "rouge-l"], services);
            EvaluationRunner runner = factory.Create(evaluators, options =>
            {
                options.RunName = name;
                options.OutputDirectory = directory;
                options.Resume = !context.GetValue(Fresh);
                options.Progress = new SynchronousProgress<EvaluationProgress>(p => context.Progress(
                    string.Create(CultureInfo.InvariantCulture, $"eval: {p.Completed}/{p.Total} cases ({p.Resumed} resumed, {p.Failed} failed)")));
            });
            EvaluationTarget target = EvaluationTargets.FromChatClient(services.GetRequiredService<IChatClient>(), systemPrompt: context.GetValue(SystemPrompt));
            EvaluationRun run = await runner.RunAsync(dataset, target, cancellationToken);

            // Reports are written whole or not at all: a cancellation stops the run above, keeping cases.jsonl to resume.
            await EvaluationReports.WriteAllAsync(run, directory, baseline, cancellationToken: CancellationToken.None);
            int failed = run.Cases.Count(c => c.Error is not null);
            context.WriteResult(
                new { name = run.Name, dataset = run.Dataset, directory, report = Path.Combine(directory, "report.json"), cases = run.Cases.Count, failed, metrics = run.Summary.Select(EvaluationCommands.Json) },
                output =>
                {
                    output.WriteLine($"Run '{run.Name}': {run.Cases.Count} cases, {failed} failed -> {directory}");
                    output.WriteLine($"{"metric",-24} {"mean",8} {"min",8} {"max",8} {"cases",6}");
                    foreach (MetricSummary summary in run.Summary)
                    {
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{summary.Name,-24} {summary.Mean,8:0.000} {summary.Min,8:0.000} {summary.Max,8:0.000} {summary.Count,6}"));
                    }
                });
            return ExitCodes.Ok;
        });
    }

    private static IEvaluator[] CreateEvaluators(string[] names, IServiceProvider services) => [.. names.Distinct(StringComparer.Ordinal).Select<string, IEvaluator>(name => name switch
    {
        "exact-match" => new ExactMatchEvaluator(),
        "token-f1" => new TokenF1Evaluator(),
        "rouge-l" => new RougeLEvaluator(),
        "bleu" => new BleuEvaluator(),
        "json" => new JsonEvaluator(),
        "embedding-similarity" => new EmbeddingSimilarityEvaluator(services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()),
        "faithfulness" => new FaithfulnessEvaluator(),
        "answer-relevancy" => new AnswerRelevancyEvaluator(services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()),
        "correctness" => LlmJudgeEvaluator.Correctness(),
        "relevance" => LlmJudgeEvaluator.Relevance(),
        "coherence" => LlmJudgeEvaluator.Coherence(),
        _ => throw new CliInputException($"--metric: unknown metric '{name}'; use one of {string.Join(", ", MetricNames)}."),
    })];
}
