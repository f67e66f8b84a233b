using System.Diagnostics;
using System.Globalization;

namespace AiEng.Benchmarks.Vectors;

/// <summary>
/// <c>vectors-hnsw</c>: the <see cref="AiEng.Retrieval.HnswIndex"/> against an exact scan on <see cref="EmbeddingLikeData"/>.
/// Options: <c>--n</c> (200000 points), <c>--dim</c> (384), <c>--queries</c> (1000), <c>--exact-queries</c> (100: how many
/// queries time the exact scan on one thread), <c>--seed</c> (42). Prints the exact scan's mean time per query, the
/// index's build time (all cores), its mean time per query on one thread at the smallest efSearch of
/// <see cref="HnswMeasurement.EfLadder"/> that reaches recall@10 0.97, that recall, and the speedup in queries per second.
/// </summary>
internal static class HnswBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int n = arguments.GetInt("n", 200_000);
        int dim = arguments.GetInt("dim", 384);
        int queries = arguments.GetInt("queries", 1000);
        int exactQueries = arguments.GetInt("exact-queries", 100);
        int seed = arguments.GetInt("seed", 42);
        if (n < 10 || dim < 1 || queries < 1 || exactQueries < 1)
        {
            throw new ArgumentException("--n must be at least 10; --dim, --queries and --exact-queries at least 1.");
        }

        var log = Console.Error;
        var watch = Stopwatch.StartNew();
        var data = EmbeddingLikeData.Generate(n, dim, queries, seed: seed);
        await log.WriteLineAsync($"vectors-hnsw: generated {n} x {dim} points and {queries} queries (seed {seed}) in {watch.Elapsed.TotalSeconds:F1} s").ConfigureAwait(false);

        watch.Restart();
        int[][] truth = ExactSearch.GroundTruth(data, 10);
        await log.WriteLineAsync($"vectors-hnsw: exact top 10 of every query on all cores in {watch.Elapsed.TotalSeconds:F1} s").ConfigureAwait(false);

        // The exact scan on one thread, as the reference for one query thread of the index.
        exactQueries = Math.Min(exactQueries, queries);
        ExactSearch.TopK(data, data.Query(0), 10);
        long start = Stopwatch.GetTimestamp();
        for (int q = 0; q < exactQueries; q++)
        {
            ExactSearch.TopK(data, data.Query(q), 10);
        }

        double exactMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds / exactQueries;
        await log.WriteLineAsync($"vectors-hnsw: exact scan {exactMs:F3} ms/query on one thread ({exactQueries} queries)").ConfigureAwait(false);

        var result = HnswMeasurement.Measure(data, truth, log);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"vectors-hnsw\",\"n\":{n},\"dim\":{dim},\"exact_ms\":{exactMs:F3},\"hnsw_build_s\":{result.BuildSeconds:F1},\"hnsw_ms\":{result.MillisecondsPerQuery:F4},\"hnsw_ef\":{result.EfSearch},\"hnsw_recall_at_10\":{result.RecallAt10:F4},\"speedup\":{exactMs / result.MillisecondsPerQuery:F1}}}"));
    }
}
