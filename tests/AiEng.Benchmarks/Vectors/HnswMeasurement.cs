using System.Diagnostics;
using AiEng.Retrieval;

namespace AiEng.Benchmarks.Vectors;

/// <summary>What <see cref="HnswMeasurement.Measure"/> found.</summary>
/// <param name="BuildSeconds">Wall-clock time of <see cref="HnswIndex.AddRange(ReadOnlySpan{float})"/> with all cores.</param>
/// <param name="MillisecondsPerQuery">Mean time of one search on one thread, at <paramref name="EfSearch"/>.</param>
/// <param name="EfSearch">The efSearch used: the smallest of the ladder that reached the target recall, else the largest.</param>
/// <param name="RecallAt10">Mean recall@10 against the exact top 10 at <paramref name="EfSearch"/>.</param>
internal sealed record HnswResult(double BuildSeconds, double MillisecondsPerQuery, int EfSearch, double RecallAt10);

/// <summary>Builds an <see cref="HnswIndex"/> over benchmark data and measures its build time, query time and recall@10.</summary>
internal static class HnswMeasurement
{
    /// <summary>The efSearch values tried, smallest first.</summary>
    public static readonly int[] EfLadder = [16, 24, 32, 48, 64, 96, 128, 192, 256];

    /// <summary>The recall@10 the smallest efSearch must reach.</summary>
    public const double TargetRecall = 0.97;

    /// <summary>
    /// Builds the index with all cores (M 16, efConstruction 200), then runs every query on one thread at each efSearch of
    /// <see cref="EfLadder"/> until recall@10 reaches <see cref="TargetRecall"/>, and times a second pass at that efSearch.
    /// </summary>
    /// <param name="data">The points and queries.</param>
    /// <param name="truth">The exact top 10 of every query.</param>
    /// <param name="log">Receives progress lines.</param>
    public static HnswResult Measure(EmbeddingLikeData data, int[][] truth, TextWriter log)
    {
        var index = new HnswIndex(data.Dimensions, new HnswOptions { M = 16, EfConstruction = 200, MaxDegreeOfParallelism = Environment.ProcessorCount });
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        index.AddRange(data.Points);
        double buildSeconds = watch.Elapsed.TotalSeconds;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        log.WriteLine($"hnsw: built {data.Count} x {data.Dimensions} in {buildSeconds:F1} s on {Environment.ProcessorCount} threads ({cpu.TotalSeconds:F1} s of processor time)");

        int chosen = EfLadder[^1];
        double recall = 0;
        foreach (int ef in EfLadder)
        {
            var (found, seconds) = RunQueries(index, data, ef);
            recall = SearchRecall.Mean(truth, found);
            log.WriteLine($"hnsw: ef {ef}: recall@10 {recall:F4}, {seconds * 1000 / data.QueryCount:F3} ms/query (first pass)");
            if (recall >= TargetRecall)
            {
                chosen = ef;
                break;
            }
        }

        var (_, timed) = RunQueries(index, data, chosen);
        return new HnswResult(buildSeconds, timed * 1000 / data.QueryCount, chosen, recall);
    }

    private static (List<IReadOnlyCollection<int>> Found, double Seconds) RunQueries(HnswIndex index, EmbeddingLikeData data, int ef)
    {
        var found = new List<IReadOnlyCollection<int>>(data.QueryCount);
        long start = Stopwatch.GetTimestamp();
        for (int q = 0; q < data.QueryCount; q++)
        {
            var hits = index.Search(data.Query(q), 10, ef);
            found.Add(hits.Select(hit => hit.Id).ToArray());
        }

        return (found, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}
