using System.Globalization;
using AiEng.Evaluation;
using AiEng.Inference;
using Microsoft.Extensions.AI;

namespace AiEng.Runners.CrashHost;

/// <summary>
/// The runs the crash host makes, and what they are built from: a data set (or batch) of numbered questions and a small
/// deterministic model that prints "asked &lt;id&gt;" when a question reaches it. The kill-loop tests compile this file too,
/// to know the questions and answers.
/// </summary>
internal static class CrashRuns
{
    /// <summary>The name of the evaluation run (and of its folder's report).</summary>
    public const string RunName = "crash";

    /// <summary>The JSON report the evaluation host writes into the run folder when the run finished.</summary>
    public const string ReportFileName = "report.json";

    /// <summary>How many items each runner processes at once.</summary>
    public const int Concurrency = 2;

    /// <summary>Gets the id of item <paramref name="index"/>: a case id or a batch item id.</summary>
    public static string Id(int index) => "q" + index.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>Gets the model's answer to question <paramref name="id"/>: right for two in three, wrong for the others, so that scores vary.</summary>
    public static string Answer(string id) => int.Parse(id.AsSpan(1), CultureInfo.InvariantCulture) % 3 == 0 ? "no idea about " + id : "answer to " + id;

    /// <summary>Gets the reference answer of question <paramref name="id"/>.</summary>
    public static string Reference(string id) => "answer to " + id;

    /// <summary>Runs an evaluation of <paramref name="cases"/> cases into <paramref name="folder"/>, resuming what is there; prints "committed &lt;n&gt;" after each case is written and "done" at the end.</summary>
    public static async Task EvaluateAsync(string folder, int cases, TimeSpan delay, Action<string> report)
    {
        var dataset = new EvaluationDataset(RunName, [.. Enumerable.Range(0, cases).Select(i => new EvaluationCase(Id(i), Id(i)) { Reference = Reference(Id(i)) })]);
        var options = new EvaluationRunnerOptions
        {
            RunName = RunName,
            OutputDirectory = folder,
            MaxConcurrency = Concurrency,
            Progress = new Reporter<EvaluationProgress>(p => report("committed " + (p.Completed - p.Resumed).ToString(CultureInfo.InvariantCulture))),
        };
        var run = await new EvaluationRunner([new ExactMatchEvaluator()], options).RunAsync(dataset, EvaluationTargets.FromChatClient(new CrashModel(delay, report)));
        await EvaluationReports.WriteJsonAsync(run, Path.Combine(folder, ReportFileName));
        report("done");
    }

    /// <summary>Runs a batch of <paramref name="items"/> questions into <paramref name="resultsFile"/>, resuming what is there; prints "committed &lt;n&gt;" after each item is written and "done" at the end.</summary>
    public static async Task BatchAsync(string resultsFile, int items, TimeSpan delay, Action<string> report)
    {
        var options = new BatchRunnerOptions
        {
            ResultsPath = resultsFile,
            MaxConcurrency = Concurrency,
            Progress = new Reporter<BatchProgress>(p => report("committed " + (p.Completed - p.Resumed).ToString(CultureInfo.InvariantCulture))),
        };
        var result = await new BatchRunner(options).RunChatAsync(new CrashModel(delay, report), Enumerable.Range(0, items).Select(i => new BatchItem<string>(Id(i), Id(i))));
        if (!result.IsComplete)
        {
            throw new InvalidOperationException($"The batch did not complete: {result.Failed} failed, {result.NotRun} not run.");
        }

        report("done");
    }

    /// <summary>Reports synchronously (unlike <see cref="Progress{T}"/>, which posts reports and could print them after the kill point).</summary>
    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>The model: waits a little, prints "asked &lt;id&gt;" and answers deterministically.</summary>
    private sealed class CrashModel(TimeSpan delay, Action<string> report) : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            string id = messages.Last().Text;
            report("asked " + id);
            await Task.Delay(delay, cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer(id))) { ModelId = "crash-model" };
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The crash model does not stream.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
