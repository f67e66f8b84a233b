using System.Diagnostics;
using System.Globalization;
using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.Benchmarks.Vectors;

/// <summary>
/// <c>hnsw-upsert --n 20000 --dim 384 [--batch 1000] [--queries 200] [--seed 42] [--threads N] [--single true]</c>: how long
/// <c>UpsertAsync</c> takes to fill an in-memory collection with an HNSW index (M 16, efConstruction 200) from
/// <see cref="EmbeddingLikeData"/>, once one record per call (the graph grows one vector at a time, as before batched
/// indexing) and once <c>--batch</c> records per call (the store hands each batch to the graph's parallel bulk insert on
/// <c>--threads</c> threads, default all cores), with the recall@10 of each collection's searches (efSearch 64) against
/// the exact scan. <c>--single false</c> skips the one-record-per-call side.
/// </summary>
internal static class HnswUpsertBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int n = arguments.GetInt("n", 20_000);
        int dim = arguments.GetInt("dim", 384);
        int batch = arguments.GetInt("batch", 1000);
        int queryCount = arguments.GetInt("queries", 200);
        int seed = arguments.GetInt("seed", 42);
        int threads = arguments.GetInt("threads", Environment.ProcessorCount);
        bool single = arguments.GetString("single") is not "false";
        if (n < 10 || dim < 1 || batch < 1 || queryCount < 1 || threads < 1)
        {
            throw new ArgumentException("--n must be at least 10; --dim, --batch, --queries and --threads at least 1.");
        }

        var data = EmbeddingLikeData.Generate(n, dim, queryCount, seed: seed);
        using var exactStore = new InMemoryVectorStore();
        var exact = await VectorsBenchmark.LoadAsync(exactStore, data).ConfigureAwait(false);
        var truth = await VectorsBenchmark.SearchAsync(exact, data, 0, queryCount).ConfigureAwait(false);
        await Log($"generated {n} x {dim} points and {queryCount} queries (seed {seed}); exact top 10 computed").ConfigureAwait(false);

        var (singleSeconds, singleRecall) = single ? await MeasureAsync(data, truth, 1, threads).ConfigureAwait(false) : (double.NaN, double.NaN);
        var (batchedSeconds, batchedRecall) = await MeasureAsync(data, truth, batch, threads).ConfigureAwait(false);
        var fields = new List<string> { "\"bench\":\"hnsw-upsert\"", Field("n", n), Field("dim", dim), Field("batch", batch), Field("threads", threads) };
        if (single)
        {
            fields.AddRange([Field("single_s", singleSeconds, "F2"), Field("single_recall_at_10", singleRecall, "F4")]);
        }

        fields.AddRange([Field("batched_s", batchedSeconds, "F2"), Field("batched_recall_at_10", batchedRecall, "F4")]);
        if (single)
        {
            fields.Add(Field("speedup", singleSeconds / batchedSeconds, "F2"));
        }

        Console.WriteLine("{" + string.Join(',', fields) + "}");
    }

    private static async Task<(double Seconds, double Recall)> MeasureAsync(EmbeddingLikeData data, int[][] truth, int batch, int threads)
    {
        using var store = new InMemoryVectorStore(new InMemoryVectorStoreOptions
        {
            DefaultIndexKind = IndexKind.Hnsw,
            Hnsw = new HnswOptions { M = 16, EfConstruction = 200, MaxDegreeOfParallelism = threads },
        });
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        var collection = await VectorsBenchmark.LoadAsync(store, data, batch).ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var found = await VectorsBenchmark.SearchAsync(collection, data, 0, truth.Length).ConfigureAwait(false);
        double recall = SearchRecall.Mean(truth, found);
        await Log($"batch {batch}: upserted in {seconds:F2} s ({cpu.TotalSeconds:F1} s of processor time), recall@10 {recall:F4}").ConfigureAwait(false);
        return (seconds, recall);
    }

    private static string Field(string name, double value, string format = "G") =>
        $"\"{name}\":{value.ToString(format, CultureInfo.InvariantCulture)}";

    private static Task Log(string message) => Console.Error.WriteLineAsync(message);
}
