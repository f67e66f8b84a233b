using System.Diagnostics;
using System.Globalization;
using AiEng.Inference;
using AiEng.OpenAI;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace AiEng.Samples.CostOptimization;

/// <summary>
/// Step 6, one workload four ways: the same questions (the cascade step's, and some of them asked again in other words)
/// sent through the OpenAI provider to AiEng.Testing's OpenAI-compatible server on loopback, which answers each after a
/// fixed latency: (1) plain, to the strong model; (2) with the semantic cache in front of it; (3) through a cascade from the
/// cheap model; (4) as one OpenAI Batch API job (<c>AddOpenAIBatch()</c>, half price). A progress bar follows each run; a
/// table then gives the accuracy, model calls, cost and latency of each, all read from AiEng's usage ledger.
/// </summary>
internal static class WorkloadComparisonStep
{
    /// <summary>The strong, expensive model.</summary>
    public const string StrongModel = CascadeStep.ExpensiveModel;

    /// <summary>The weak, cheap model.</summary>
    public const string CheapModel = CascadeStep.CheapModel;

    /// <summary>The latency of every answer of the server.</summary>
    public static readonly TimeSpan ServerLatency = TimeSpan.FromMilliseconds(40);

    /// <summary>The questions that come back in other words (the numbers and the operation are the same, so the answer is).</summary>
    public static readonly IReadOnlyList<(string Question, string Answer)> Rephrased =
    [
        ("what is 12 plus 30", "42"),
        ("Please tell me what 95 minus 17 is.", "78"),
        ("What is 8 plus 8 equal to?", "16"),
        ("Tell me what is 64 minus 32.", "32"),
        ("What is 6 times 7 equal to?", "42"),
        ("what is 45 plus 55?", "100"),
    ];

    /// <summary>Gets the workload: the cascade step's questions, then the rephrased ones.</summary>
    public static IReadOnlyList<(string Question, string Answer)> Workload { get; } = [.. CascadeStep.Workload, .. Rephrased];

    /// <summary>Runs the workload four ways and prints the table; returns the four runs in order.</summary>
    /// <param name="embedder">The semantic cache's embedding model: the local all-MiniLM-L6-v2 in the sample.</param>
    /// <param name="console">Where the progress bars and the table go.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<IReadOnlyList<WorkloadRun>> RunAsync(
        IEmbeddingGenerator<string, Embedding<float>> embedder, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        console.WriteLine("== Step 6: one workload four ways (plain, semantic cache, cascade, OpenAI Batch API)");
        console.WriteLine(
            $"   {Workload.Count} arithmetic questions ({Rephrased.Count} asked again in other words) through the OpenAI provider to a local "
            + $"OpenAI-compatible server answering in {ServerLatency.TotalMilliseconds:0} ms; {StrongModel} is strong ($2.50/$10 per 1M tokens), {CheapModel} weak ($0.15/$0.60).");

        await using var server = await OpenAITestServer.StartAsync(
            new OpenAITestServerOptions
            {
                ResponseLatency = ServerLatency,
                Models = [StrongModel, CheapModel],
                ChatHandler = (request, _) => ValueTask.FromResult(SimulatedArithmeticModel.Reply(request, strong: request.Model == StrongModel)),
            },
            cancellationToken).ConfigureAwait(false);
        server.BatchScript = _ => OpenAITestBatchScript.Completing(inProgressPolls: 2);

        var runs = new List<WorkloadRun>();
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask[] tasks = new[] { "plain", "semantic cache", "cascade", "batch" }.Select(name => context.AddTask(name, autoStart: false, maxValue: Workload.Count)).ToArray();
                runs.Add(await RunOneByOneAsync(server, tasks[0], chat => chat, cancellationToken).ConfigureAwait(false));
                runs.Add(await RunOneByOneAsync(server, tasks[1], chat => chat.AsBuilder().UseSemanticCache(embedder).Build(), cancellationToken).ConfigureAwait(false));
                runs.Add(await RunCascadeAsync(server, tasks[2], cancellationToken).ConfigureAwait(false));
                runs.Add(await RunBatchAsync(server, tasks[3], cancellationToken).ConfigureAwait(false));
            }).ConfigureAwait(false);

        var table = new Table().AddColumns("way", "correct", "model calls", "cost (USD)", "latency p50", "latency p95", "total");
        foreach (WorkloadRun run in runs)
        {
            table.AddRow(
                run.Name,
                $"{run.Correct}/{run.Requests}",
                run.ModelCalls.ToString(CultureInfo.InvariantCulture),
                run.Cost.ToString("0.000000", CultureInfo.InvariantCulture),
                $"{run.LatencyP50Ms:0} ms",
                $"{run.LatencyP95Ms:0} ms",
                $"{run.Elapsed.TotalSeconds:0.0} s");
        }

        console.Write(table);
        WorkloadRun plain = runs[0];
        console.WriteLine(
            $"   against plain: the cache cost {runs[1].Cost / plain.Cost:P0}, the cascade {runs[2].Cost / plain.Cost:P0} (with {plain.Correct - runs[2].Correct} more wrong), "
            + $"the batch {runs[3].Cost / plain.Cost:P0}, every answer arriving when the batch ends.");
        return runs;
    }

    /// <summary>Asks the questions one by one of the strong model wrapped by <paramref name="wrap"/>.</summary>
    private static async Task<WorkloadRun> RunOneByOneAsync(OpenAITestServer server, ProgressTask task, Func<IChatClient, IChatClient> wrap, CancellationToken cancellationToken)
    {
        await using ServiceProvider provider = Services(server);
        using IChatClient chat = wrap(provider.GetRequiredKeyedService<IChatClient>("strong"));
        return await AskAsync(task.Description, chat, provider, task, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the questions one by one of a cascade: the cheap model, escalated to the strong one when it refuses.</summary>
    private static async Task<WorkloadRun> RunCascadeAsync(OpenAITestServer server, ProgressTask task, CancellationToken cancellationToken)
    {
        await using ServiceProvider provider = Services(server);
        IChatClient cheap = provider.GetRequiredKeyedService<IChatClient>("cheap");
        using IChatClient chat = cheap.AsBuilder().UseCascade(options => options.EscalateTo(provider.GetRequiredKeyedService<IChatClient>("strong")).RejectRefusals()).Build();
        return await AskAsync(task.Description, chat, provider, task, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<WorkloadRun> AskAsync(string name, IChatClient chat, IServiceProvider provider, ProgressTask task, CancellationToken cancellationToken)
    {
        task.StartTask();
        var watch = Stopwatch.StartNew();
        var latencies = new List<double>();
        int correct = 0;
        foreach ((string question, string answer) in Workload)
        {
            long started = Stopwatch.GetTimestamp();
            ChatResponse response = await chat.GetResponseAsync(question, cancellationToken: cancellationToken).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            correct += response.Text == answer ? 1 : 0;
            task.Increment(1);
        }

        return Result(name, correct, provider, latencies, watch.Elapsed);
    }

    /// <summary>Sends the questions to the strong model as one Batch API job, through <c>AddOpenAIBatch()</c>.</summary>
    private static async Task<WorkloadRun> RunBatchAsync(OpenAITestServer server, ProgressTask task, CancellationToken cancellationToken)
    {
        await using ServiceProvider provider = Services(server);
        task.StartTask();
        var watch = Stopwatch.StartNew();
        var items = Workload.Select((q, i) => new BatchItem<string>($"q{i + 1}", q.Question)).ToArray();
        IReadOnlyList<BatchItemResult<ChatResponse>> results =
            await provider.GetRequiredService<OpenAIBatchChatClient>().RunPromptsAsync(items, cancellationToken: cancellationToken).ConfigureAwait(false);
        TimeSpan turnaround = watch.Elapsed;
        int correct = results.Count(r => r.Value?.Text == Workload[r.Index].Answer);
        task.Increment(results.Count);

        // Every answer of a batch arrives when the batch ends: its latency is the batch's turnaround.
        return Result(task.Description, correct, provider, Enumerable.Repeat(turnaround.TotalMilliseconds, results.Count).ToList(), turnaround);
    }

    private static WorkloadRun Result(string name, int correct, IServiceProvider provider, List<double> latencies, TimeSpan elapsed)
    {
        // Cache hits are recorded too, at no model cost: only the records of model calls count as calls.
        IReadOnlyList<UsageRecord> records = provider.GetRequiredService<IUsageLedger>().GetRecords();
        latencies.Sort();
        return new WorkloadRun(
            name,
            correct,
            Workload.Count,
            records.Count(r => r.Operation == UsageOperations.Chat && !r.IsCacheHit),
            records.Sum(r => r.Cost ?? 0m),
            NearestRank(latencies, 0.50),
            NearestRank(latencies, 0.95),
            elapsed);
    }

    private static double NearestRank(List<double> sorted, double quantile) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The two models named in configuration and the Batch API client on the strong one, each run with a ledger of its own.</summary>
    private static ServiceProvider Services(OpenAITestServer server)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AiEng:Batch:OpenAI:ChatModel"] = "strong",
            ["AiEng:Batch:OpenAI:PollInterval"] = "00:00:00.100",
        };
        foreach ((string name, string model, string input, string output) in new[] { ("strong", StrongModel, "2.50", "10"), ("cheap", CheapModel, "0.15", "0.60") })
        {
            settings[$"AiEng:ChatModels:{name}:Provider"] = "OpenAI";
            settings[$"AiEng:ChatModels:{name}:Model"] = model;
            settings[$"AiEng:ChatModels:{name}:Endpoint"] = server.BaseAddress.ToString();
            settings[$"AiEng:Usage:Prices:{model}:InputPerMillion"] = input;
            settings[$"AiEng:Usage:Prices:{model}:OutputPerMillion"] = output;
        }

        var services = new ServiceCollection();
        services.AddAiEng(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).AddOpenAI().AddOpenAIBatch();
        return services.BuildServiceProvider();
    }
}
