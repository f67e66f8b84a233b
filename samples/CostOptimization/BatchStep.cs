using System.Diagnostics;
using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.CostOptimization;

/// <summary>
/// Step 4, batch and rate-limited calls: classifies a small table with <see cref="BatchRunner"/> through the OpenAI provider,
/// against AiEng.Testing's OpenAI-compatible server on loopback, which answers after a fixed latency and enforces a limit of
/// <see cref="RequestsPerMinute"/> requests per minute (429 over it). The model's <c>Settings:RequestsPerMinute</c> paces the
/// calls; the run is interrupted a third of the way and resumed from its results file, paying for no row twice.
/// </summary>
internal static class BatchStep
{
    /// <summary>The rows of the table.</summary>
    public const int Rows = 30;

    /// <summary>The limit of the server, and the model's client-side limit.</summary>
    public const int RequestsPerMinute = 300;

    /// <summary>The row after which the first run is interrupted.</summary>
    public const int InterruptAfter = 10;

    /// <summary>Runs the step and prints what it did; returns the server's count of requests and 429s, the rows resumed and the cost.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<(int Requests, int RateLimited, int Resumed, decimal Cost)> RunAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        output.WriteLine("== Step 4: batch and rate-limited calls (BatchRunner, Settings:RequestsPerMinute)");
        output.WriteLine($"   {Rows} support tickets to label, against a local OpenAI-compatible server limited to {RequestsPerMinute} requests a minute (30 ms a call); the client is limited to the same.");

        await using var server = await OpenAITestServer.StartAsync(
            new OpenAITestServerOptions
            {
                RequestsPerMinute = RequestsPerMinute,
                ResponseLatency = TimeSpan.FromMilliseconds(30),
                ChatHandler = (request, _) => ValueTask.FromResult(new OpenAITestChatReply(request.LastUserMessage.Contains("refund", StringComparison.Ordinal) ? "billing" : "shipping")
                {
                    PromptTokens = 400,
                    CompletionTokens = 2,
                }),
            },
            cancellationToken).ConfigureAwait(false);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:Chat:Provider"] = "OpenAI",
            ["AiEng:Chat:Model"] = PricedOfflineModel.Id,
            ["AiEng:Chat:Endpoint"] = server.BaseAddress.ToString(),
            ["AiEng:Chat:Settings:RequestsPerMinute"] = RequestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AiEng:Usage:Prices:gpt-4o-mini:InputPerMillion"] = "0.15",
            ["AiEng:Usage:Prices:gpt-4o-mini:OutputPerMillion"] = "0.60",
        }).Build();
        var services = new ServiceCollection();
        services.AddAiEng(configuration).AddOpenAI();
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();

        string resultsPath = Path.Combine(Path.GetTempPath(), $"aieng-batch-sample-{Guid.NewGuid():N}.jsonl");
        var tickets = Enumerable.Range(1, Rows)
            .Select(i => new BatchItem<string>($"ticket-{i}", $"Label this ticket as billing or shipping: {(i % 3 == 0 ? "I want a refund" : "Where is my parcel?")} (#{i})"))
            .ToArray();
        var watch = Stopwatch.StartNew();
        try
        {
            // The first run stops after a third of the rows, as a crash or a Ctrl+C would.
            using (var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var first = new BatchRunner(new BatchRunnerOptions
                {
                    MaxConcurrency = 4,
                    ResultsPath = resultsPath,
                    Progress = new Reporter(progress =>
                    {
                        if (progress.Completed >= InterruptAfter)
                        {
                            interrupt.Cancel();
                        }
                    }),
                });
                try
                {
                    await first.RunChatAsync(chat, tickets, cancellationToken: interrupt.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    output.WriteLine($"   interrupted after {server.RequestCount} calls; running again with the same results file:");
                }
            }

            var second = new BatchRunner(new BatchRunnerOptions
            {
                MaxConcurrency = 4,
                ResultsPath = resultsPath,
                Progress = new Reporter(progress =>
                {
                    if (progress.Completed % 10 == 0)
                    {
                        output.WriteLine($"   progress: {progress}");
                    }
                }),
            });
            BatchRunResult<string> result = await second.RunChatAsync(chat, tickets, cancellationToken: cancellationToken).ConfigureAwait(false);
            watch.Stop();

            decimal cost = provider.GetRequiredService<IUsageLedger>().GetRecords().Sum(record => record.Cost ?? 0m);
            int billing = result.Items.Count(item => item.Value == "billing");
            output.WriteLine($"   {result.Succeeded}/{Rows} labelled ({billing} billing) in {watch.Elapsed.TotalSeconds:0.0} s: {server.RequestCount} model calls in all, {result.Resumed} rows taken from the results file, {server.RateLimitedCount} 429s, cost {cost:0.000000} USD");
            return (server.RequestCount, server.RateLimitedCount, result.Resumed, cost);
        }
        finally
        {
            File.Delete(resultsPath);
        }
    }

    /// <summary>Reports progress on the reporting thread (<see cref="Progress{T}"/> would post it to the thread pool, out of order).</summary>
    private sealed class Reporter(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(value);
    }
}
