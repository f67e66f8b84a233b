using System.Diagnostics;
using System.Globalization;
using AiEng.Evaluation;
using Microsoft.Extensions.AI;

namespace AiEng.Benchmarks.Evaluation;

/// <summary>
/// <c>eval-runner</c>: the runner's overhead. A chat target with a fixed latency answers every case; three deterministic
/// evaluators score it. The ideal wall time is cases x latency / concurrency; the ratio is measured / ideal.
/// </summary>
internal static class EvalRunnerBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int cases = arguments.GetInt("cases", 2000);
        int latencyMs = arguments.GetInt("latency-ms", 20);
        int concurrency = arguments.GetInt("concurrency", 16);

        var dataset = new EvaluationDataset("bench", Enumerable.Range(0, cases).Select(i =>
            new EvaluationCase($"c{i}", $"What is item {i} of the benchmark list?") { Reference = $"Item {i} is the benchmark answer number {i}." }));
        using var client = new DelayChatClient(TimeSpan.FromMilliseconds(latencyMs));
        var target = EvaluationTargets.FromChatClient(client);
        var runner = new EvaluationRunner(
            [new ExactMatchEvaluator(), new TokenF1Evaluator(), new RougeLEvaluator()],
            new EvaluationRunnerOptions { MaxConcurrency = concurrency });

        // Warm up JIT on a few cases.
        await runner.RunAsync(new EvaluationDataset("warm", dataset.Cases.Take(concurrency * 2)), target).ConfigureAwait(false);

        long start = Stopwatch.GetTimestamp();
        var run = await runner.RunAsync(dataset, target).ConfigureAwait(false);
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (run.Cases.Count != cases || run.Cases.Any(static c => c.Metrics.Count != 3))
        {
            throw new InvalidOperationException("The run did not evaluate every case with three metrics; the measurement is not valid.");
        }

        double ideal = (double)cases * latencyMs / 1000 / concurrency;

        // The machine's floor: the same delays through Parallel.ForEachAsync with nothing else, logged for context.
        start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, cases), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (_, token) =>
            await Task.Delay(latencyMs, token).ConfigureAwait(false)).ConfigureAwait(false);
        double floor = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bare delays through Parallel.ForEachAsync: {floor:F3} s (ratio {floor / ideal:F3})")).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"eval-runner\",\"cases\":{cases},\"wall_s\":{wall:F3},\"ideal_s\":{ideal:F3},\"ratio\":{wall / ideal:F3},\"bare_delay_ratio\":{floor / ideal:F3}}}"));
    }

    /// <summary>Answers every call after a fixed delay with a short sentence.</summary>
    private sealed class DelayChatClient(TimeSpan latency) : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "Item is the benchmark answer."));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
