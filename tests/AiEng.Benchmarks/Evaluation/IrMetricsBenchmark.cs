using System.Diagnostics;
using System.Globalization;
using AiEng.Evaluation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Benchmarks.Evaluation;

/// <summary>
/// <c>ir-metrics</c>: time to compute every retrieval metric (recall, precision, hit rate, MRR, nDCG at 1, 10, 100 and
/// 1000, and MAP) through the <see cref="RetrievalEvaluator"/> for a run of 300 queries x 1,000 results with seeded
/// random qrels (about 5 relevant documents per query, grades 1 to 2). Reports the median of 7 rounds.
/// </summary>
internal static class IrMetricsBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int queries = arguments.GetInt("queries", 300);
        int depth = arguments.GetInt("depth", 1000);
        var random = new Random(42);
        var contexts = new EvaluationContext[queries][];
        for (int q = 0; q < queries; q++)
        {
            string[] ranking = Enumerable.Range(0, depth).Select(d => $"q{q}-d{d}").ToArray();
            random.Shuffle(ranking);
            var qrels = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int r = 0; r < 5; r++)
            {
                qrels[$"q{q}-d{random.Next(depth + 200)}"] = 1 + random.Next(2);
            }

            contexts[q] = [new RetrievalContext(ranking, qrels)];
        }

        var evaluator = new RetrievalEvaluator(1, 10, 100, 1000);
        List<ChatMessage> messages = [new(ChatRole.User, "q")];
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Empty));
        var times = new List<double>();
        double checksum = 0;
        for (int round = 0; round < 8; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int q = 0; q < queries; q++)
            {
                var result = await evaluator.EvaluateAsync(messages, response, null, contexts[q]).ConfigureAwait(false);
                checksum += result.Get<NumericMetric>("MAP").Value ?? 0;
            }

            if (round > 0)
            {
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        times.Sort();
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"rounds (ms): {string.Join(", ", times.Select(t => t.ToString("F1", CultureInfo.InvariantCulture)))}; checksum {checksum:F4}")).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"bench\":\"ir-metrics\",\"queries\":{queries},\"depth\":{depth},\"ms\":{times[times.Count / 2]:F1}}}"));
    }
}
