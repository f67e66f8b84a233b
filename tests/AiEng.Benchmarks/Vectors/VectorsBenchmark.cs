using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.Benchmarks.Vectors;

/// <summary>
/// <c>vectors --n 200000 --dim 384 [--queries 1000] [--seed 42] [--rounds 2] [--hnsw false]</c>: vector search speed and
/// recall on <see cref="EmbeddingLikeData"/>, one query thread. Reports the bandwidth of a plain sequential read (sum) of the
/// same float matrix (best of several passes), the exact float32 search through the in-memory store's <c>SearchAsync</c>
/// (mean per query, and matrix bytes / time), the int8 quantised search with its recall@10 (both timed in interleaved
/// chunks, see <see cref="TimeScansAsync"/>), and the <see cref="HnswIndex"/>
/// (<see cref="HnswMeasurement"/>: build time on all cores, time per query at the smallest efSearch reaching recall@10
/// 0.97, that efSearch and recall). The store's exact results are the ground truth of both recalls. <c>--hnsw false</c> stops
/// after the scans (logged on stderr) without printing the result line. <c>--store postgres</c> runs
/// <see cref="PostgresVectorsBenchmark"/> instead.
/// </summary>
internal static class VectorsBenchmark
{
    private const int Top = 10;

    // Queries per timed chunk of the scans: long enough (about 3 s exact, 1 s int8) to time well, short enough that the
    // two sides alternate many times per round.
    private const int ChunkQueries = 100;

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        if (arguments.GetString("store") is "postgres")
        {
            await PostgresVectorsBenchmark.RunAsync(arguments).ConfigureAwait(false);
            return;
        }

        int n = arguments.GetInt("n", 200_000);
        int dim = arguments.GetInt("dim", 384);
        int queryCount = arguments.GetInt("queries", 1000);
        int seed = arguments.GetInt("seed", 42);
        int rounds = arguments.GetInt("rounds", 2);
        if (n < Top || dim < 1 || queryCount < 1 || rounds < 1)
        {
            throw new ArgumentException($"--n must be at least {Top}; --dim, --queries and --rounds at least 1.");
        }

        var data = EmbeddingLikeData.Generate(n, dim, queryCount, seed: seed);
        await Log($"generated {n} x {dim} points and {queryCount} queries (seed {seed})").ConfigureAwait(false);

        using var exactStore = new InMemoryVectorStore();
        using var int8Store = new InMemoryVectorStore(new InMemoryVectorStoreOptions { Quantization = VectorQuantization.Int8 });
        var exact = await LoadAsync(exactStore, data).ConfigureAwait(false);
        var int8 = await LoadAsync(int8Store, data).ConfigureAwait(false);
        await Log("loaded both stores").ConfigureAwait(false);

        double matrixBytes = (double)n * dim * sizeof(float);
        double streamGbps = StreamGbps(data.Points, matrixBytes);
        await Log($"stream {streamGbps:F2} GB/s").ConfigureAwait(false);

        await Log($"scan kernel alone: {KernelMs(data):F2} ms/query").ConfigureAwait(false);

        // Warm up both search paths (JIT tiers, pools).
        _ = await SearchAsync(exact, data, 0, Math.Min(10, queryCount)).ConfigureAwait(false);
        _ = await SearchAsync(int8, data, 0, Math.Min(10, queryCount)).ConfigureAwait(false);

        var (truth, approximate, exactMs, int8Ms) = await TimeScansAsync(exact, int8, data, queryCount, rounds).ConfigureAwait(false);
        await Log($"exact fp32 {exactMs:F2} ms/query").ConfigureAwait(false);
        await Log($"int8 {int8Ms:F2} ms/query").ConfigureAwait(false);

        double recall = SearchRecall.Mean(truth, approximate);
        await Log($"int8 recall@10 {recall:F4}, {exactMs / int8Ms:F2}x the exact scan").ConfigureAwait(false);
        double exactGbps = matrixBytes / (exactMs / 1000) / 1e9;
        if (arguments.GetString("hnsw") is "false")
        {
            // Scans only (a quick check while working on the kernels); the full result line needs the HNSW part.
            return;
        }

        var hnsw = HnswMeasurement.Measure(data, truth, Console.Error);
        await Log($"hnsw {hnsw.MillisecondsPerQuery:F3} ms/query at ef {hnsw.EfSearch}, {exactMs / hnsw.MillisecondsPerQuery:F1}x the exact scan").ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"vectors\",\"n\":{n},\"dim\":{dim},\"stream_gbps\":{streamGbps:F2},\"exact_fp32_ms\":{exactMs:F3},\"exact_fp32_gbps\":{exactGbps:F2},"
            + $"\"int8_ms\":{int8Ms:F3},\"int8_recall_at_10\":{recall:F4},\"hnsw_build_s\":{hnsw.BuildSeconds:F1},\"hnsw_ms\":{hnsw.MillisecondsPerQuery:F4},"
            + $"\"hnsw_ef\":{hnsw.EfSearch},\"hnsw_recall_at_10\":{hnsw.RecallAt10:F4}}}"));
    }

    /// <summary>Creates collection "vectors" of <paramref name="store"/> and upserts every point, <paramref name="batch"/> records per call.</summary>
    internal static async Task<VectorStoreCollection<int, VectorRecord>> LoadAsync(VectorStore store, EmbeddingLikeData data, int batch = 10_000)
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(VectorRecord.Id), typeof(int)),
                new VectorStoreVectorProperty(nameof(VectorRecord.Vector), typeof(ReadOnlyMemory<float>), data.Dimensions),
            ],
        };
        var collection = store.GetCollection<int, VectorRecord>("vectors", definition);
        await collection.EnsureCollectionExistsAsync().ConfigureAwait(false);
        for (int start = 0; start < data.Count; start += batch)
        {
            int end = Math.Min(data.Count, start + batch);
            var records = new List<VectorRecord>(end - start);
            for (int i = start; i < end; i++)
            {
                records.Add(new VectorRecord { Id = i, Vector = data.Points.AsMemory(i * data.Dimensions, data.Dimensions) });
            }

            await collection.UpsertAsync(records).ConfigureAwait(false);
        }

        return collection;
    }

    // A plain sequential read of a matrix of the same size and layout as the store's: the memory-bandwidth ceiling.
    private static double StreamGbps(float[] matrix, double bytes)
    {
        double best = double.MaxValue;
        float sink = 0;
        for (int pass = 0; pass < 7; pass++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += TensorPrimitives.Sum(matrix);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        GC.KeepAlive(sink);
        return bytes / best / 1e9;
    }

    /// <summary>
    /// Times the exact and the int8 search over all queries. The queries are cut into chunks of <see cref="ChunkQueries"/>;
    /// in each round the two stores take turns chunk by chunk, so that a burst of load from elsewhere on the machine hits
    /// both alike, and each chunk keeps its fastest round on each side. The means are over all queries.
    /// </summary>
    private static async Task<(int[][] Truth, int[][] Approximate, double ExactMs, double Int8Ms)> TimeScansAsync(
        VectorStoreCollection<int, VectorRecord> exact, VectorStoreCollection<int, VectorRecord> int8, EmbeddingLikeData data, int queries, int rounds)
    {
        int chunks = (queries + ChunkQueries - 1) / ChunkQueries;
        var exactBest = new double[chunks];
        var int8Best = new double[chunks];
        Array.Fill(exactBest, double.MaxValue);
        Array.Fill(int8Best, double.MaxValue);
        var truth = new int[queries][];
        var approximate = new int[queries][];
        for (int round = 1; round <= rounds; round++)
        {
            double exactRound = 0, int8Round = 0;
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                int first = chunk * ChunkQueries;
                int count = Math.Min(ChunkQueries, queries - first);
                long start = Stopwatch.GetTimestamp();
                var exactResults = await SearchAsync(exact, data, first, count).ConfigureAwait(false);
                double exactSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                start = Stopwatch.GetTimestamp();
                var int8Results = await SearchAsync(int8, data, first, count).ConfigureAwait(false);
                double int8Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                exactResults.CopyTo(truth, first);
                int8Results.CopyTo(approximate, first);
                exactBest[chunk] = Math.Min(exactBest[chunk], exactSeconds);
                int8Best[chunk] = Math.Min(int8Best[chunk], int8Seconds);
                exactRound += exactSeconds;
                int8Round += int8Seconds;
            }

            await Log($"  round {round}/{rounds}: exact {exactRound * 1000 / queries:F2} ms/query, int8 {int8Round * 1000 / queries:F2} ms/query ({exactRound / int8Round:F2}x)").ConfigureAwait(false);
        }

        return (truth, approximate, exactBest.Sum() * 1000 / queries, int8Best.Sum() * 1000 / queries);
    }

    /// <summary>The ids of the top 10 of queries <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1.</summary>
    internal static async Task<int[][]> SearchAsync(VectorStoreCollection<int, VectorRecord> collection, EmbeddingLikeData data, int first, int count)
    {
        var results = new int[count][];
        for (int q = 0; q < count; q++)
        {
            var ids = new int[Top];
            int found = 0;
            var query = (ReadOnlyMemory<float>)data.Queries.AsMemory((first + q) * data.Dimensions, data.Dimensions);
            await foreach (var hit in collection.SearchAsync(query, Top).ConfigureAwait(false))
            {
                ids[found++] = hit.Record.Id;
            }

            results[q] = ids;
        }

        return results;
    }

    // The scan kernel alone over the same matrix (diagnostic, logged): what the store's search path adds is the rest.
    private static double KernelMs(EmbeddingLikeData data)
    {
        var scores = new float[64];
        double best = double.MaxValue;
        for (int pass = 0; pass < 5; pass++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int row = 0; row + 64 <= data.Count; row += 64)
            {
                VectorKernels.DotRows(data.Points, row, data.Query(0), scores);
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return best;
    }

    private static Task Log(string message) => Console.Error.WriteLineAsync(message);

    /// <summary>The record the vector benchmarks store: an id and its vector.</summary>
    internal sealed class VectorRecord
    {
        public int Id { get; set; }

        public ReadOnlyMemory<float> Vector { get; set; }
    }
}
