using System.Diagnostics;
using System.Globalization;
using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.Benchmarks.Vectors;

/// <summary>
/// <c>vectors --store postgres --n 100000 [--dim 384] [--queries 200] [--seed 42] [--ef 40,100] [--indexed-upserts 2000] [--connection CS]</c>: the
/// PostgreSQL store on <see cref="EmbeddingLikeData"/>, one query thread. The points are upserted (batches of 1,000)
/// into a collection without a vector index, timed, and every query is searched there exactly; the same table is then
/// opened with an HNSW index (M 16, ef_construction 64: pgvector's defaults), which <c>EnsureCollectionExistsAsync</c>
/// builds over the loaded rows (timed), and every query is searched through it at each <c>hnsw.ef_search</c> of
/// <c>--ef</c>. Upserts into a table that already has the index are timed on the first <c>--indexed-upserts</c> (2,000)
/// points. Recall@10 is against the in-memory store's exact top 10; queries per second on one thread. Beside them, the same run's in-memory exact search and <see cref="HnswIndex"/>
/// (<see cref="HnswMeasurement"/>). One JSON line per variant (<c>store</c>, <c>index</c>, <c>ef_search</c>,
/// <c>recall_at_10</c>, <c>qps</c>, <c>upsert_per_s</c>: for <c>hnsw</c>, upserts into the indexed table), and one with the
/// index's <c>build_s</c>. The server is PGlite unless <c>--connection</c> or
/// AIENG_POSTGRES_CONNECTION_STRING names one; WebAssembly is slower than a native server, and the figures are as measured.
/// </summary>
internal static class PostgresVectorsBenchmark
{
    private const int Top = 10;
    private const int Batch = 1_000;

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int n = arguments.GetInt("n", 100_000);
        int dim = arguments.GetInt("dim", 384);
        int queryCount = arguments.GetInt("queries", 200);
        int seed = arguments.GetInt("seed", 42);
        int[] efValues = [.. (arguments.GetString("ef") ?? "40,100").Split(',').Select(value => int.Parse(value, CultureInfo.InvariantCulture))];
        if (n < Top || dim < 1 || queryCount < 1 || efValues.Any(ef => ef < 1))
        {
            throw new ArgumentException($"--n must be at least {Top}; --dim, --queries and every --ef at least 1.");
        }

        var data = EmbeddingLikeData.Generate(n, dim, queryCount, seed: seed);
        await Log($"vectors --store postgres: generated {n} x {dim} points and {queryCount} queries (seed {seed})").ConfigureAwait(false);

        using var memory = new InMemoryVectorStore();
        var memoryExact = await VectorsBenchmark.LoadAsync(memory, data).ConfigureAwait(false);
        _ = await VectorsBenchmark.SearchAsync(memoryExact, data, 0, Math.Min(10, queryCount)).ConfigureAwait(false);
        var (truth, memorySeconds) = await TimedSearchAsync(memoryExact, data).ConfigureAwait(false);
        Print("memory", "exact", null, n, dim, queryCount, 1.0, queryCount / memorySeconds, null);
        var hnsw = HnswMeasurement.Measure(data, truth, Console.Error);
        Print("memory", "hnsw", hnsw.EfSearch, n, dim, queryCount, hnsw.RecallAt10, 1000 / hnsw.MillisecondsPerQuery, n / hnsw.BuildSeconds);

        await using var server = await BenchmarkPostgres.StartAsync(arguments, Console.Error).ConfigureAwait(false);
        string schema = $"aieng_bench_{Environment.ProcessId}";

        // Building the index over the loaded table is one statement that runs for minutes: no command timeout.
        string connectionString = new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString) { CommandTimeout = 0 }.ConnectionString;
        double flatUpsertPerSecond;
        using (var flatStore = new PostgresVectorStore(connectionString, new PostgresVectorStoreOptions { Schema = schema }))
        {
            var (flat, flatSeconds) = await LoadAsync(flatStore, "vectors", data, data.Count).ConfigureAwait(false);
            flatUpsertPerSecond = n / flatSeconds;
            var (found, seconds) = await TimedSearchAsync(flat, data).ConfigureAwait(false);
            Print("postgres", "flat", null, n, dim, queryCount, SearchRecall.Mean(truth, found), queryCount / seconds, flatUpsertPerSecond);
        }

        // The loaded table opened with an HNSW index: EnsureCollectionExistsAsync builds the missing index over the rows in
        // one pass, as pgvector advises for bulk loads.
        using (var buildStore = new PostgresVectorStore(connectionString, HnswOptions(schema, efSearch: null)))
        {
            var watch = Stopwatch.StartNew();
            await Collection(buildStore, "vectors", dim).EnsureCollectionExistsAsync().ConfigureAwait(false);
            await Log($"vectors --store postgres: HNSW index built over {n} rows in {watch.Elapsed.TotalSeconds:F1} s").ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"bench\":\"vectors\",\"store\":\"postgres\",\"index\":\"hnsw\",\"n\":{n},\"dim\":{dim},\"build_s\":{watch.Elapsed.TotalSeconds:F1}}}"));
        }

        // Upserts into a table that already has the index: each insert also inserts into the graph.
        int indexedCount = Math.Min(n, arguments.GetInt("indexed-upserts", 2_000));
        double indexedUpsertPerSecond;
        using (var indexedStore = new PostgresVectorStore(connectionString, HnswOptions(schema, efSearch: null)))
        {
            var (indexed, indexedSeconds) = await LoadAsync(indexedStore, "indexed", data, indexedCount).ConfigureAwait(false);
            indexedUpsertPerSecond = indexedCount / indexedSeconds;
            await indexed.EnsureCollectionDeletedAsync().ConfigureAwait(false);
        }

        foreach (int ef in efValues)
        {
            using var store = new PostgresVectorStore(connectionString, HnswOptions(schema, ef));
            var collection = Collection(store, "vectors", dim);
            var (found, seconds) = await TimedSearchAsync(collection, data).ConfigureAwait(false);
            Print("postgres", "hnsw", ef, n, dim, queryCount, SearchRecall.Mean(truth, found), queryCount / seconds, indexedUpsertPerSecond);
        }

        using (var cleanup = new PostgresVectorStore(connectionString, HnswOptions(schema, efSearch: null)))
        {
            await Collection(cleanup, "vectors", dim).EnsureCollectionDeletedAsync().ConfigureAwait(false);
        }
    }

    private static PostgresVectorStoreOptions HnswOptions(string schema, int? efSearch) => new()
    {
        Schema = schema,
        IndexKind = PostgresIndexKind.Hnsw,
        HnswM = 16,
        HnswEfConstruction = 64,
        HnswEfSearch = efSearch,
    };

    private static VectorStoreCollection<int, VectorsBenchmark.VectorRecord> Collection(PostgresVectorStore store, string name, int dimensions) =>
        store.GetCollection<int, VectorsBenchmark.VectorRecord>(name, new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(VectorsBenchmark.VectorRecord.Id), typeof(int)),
                new VectorStoreVectorProperty(nameof(VectorsBenchmark.VectorRecord.Vector), typeof(ReadOnlyMemory<float>), dimensions),
            ],
        });

    /// <summary>Creates collection <paramref name="name"/> afresh and upserts the first <paramref name="count"/> points in batches, logging progress; returns the load's seconds.</summary>
    private static async Task<(VectorStoreCollection<int, VectorsBenchmark.VectorRecord> Collection, double Seconds)> LoadAsync(PostgresVectorStore store, string name, EmbeddingLikeData data, int count)
    {
        var collection = Collection(store, name, data.Dimensions);
        await collection.EnsureCollectionDeletedAsync().ConfigureAwait(false);
        await collection.EnsureCollectionExistsAsync().ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        for (int start = 0; start < count; start += Batch)
        {
            int end = Math.Min(count, start + Batch);
            var records = new List<VectorsBenchmark.VectorRecord>(end - start);
            for (int i = start; i < end; i++)
            {
                records.Add(new VectorsBenchmark.VectorRecord { Id = i, Vector = data.Points.AsMemory(i * data.Dimensions, data.Dimensions) });
            }

            await collection.UpsertAsync(records).ConfigureAwait(false);
            if (end % (Batch * 10) == 0 || end == count)
            {
                await Log($"vectors --store postgres: {name}: {end} upserted in {watch.Elapsed.TotalSeconds:F0} s").ConfigureAwait(false);
            }
        }

        return (collection, watch.Elapsed.TotalSeconds);
    }

    private static async Task<(int[][] Found, double Seconds)> TimedSearchAsync(VectorStoreCollection<int, VectorsBenchmark.VectorRecord> collection, EmbeddingLikeData data)
    {
        long start = Stopwatch.GetTimestamp();
        var found = await VectorsBenchmark.SearchAsync(collection, data, 0, data.QueryCount).ConfigureAwait(false);
        return (found, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    private static void Print(string store, string index, int? ef, int n, int dim, int queries, double recall, double qps, double? upsertPerSecond) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"vectors\",\"store\":\"{store}\",\"index\":\"{index}\",\"ef_search\":{(ef is { } e ? e.ToString(CultureInfo.InvariantCulture) : "null")},\"n\":{n},\"dim\":{dim},\"queries\":{queries},"
            + $"\"recall_at_10\":{recall:F4},\"qps\":{qps:F1},\"upsert_per_s\":{(upsertPerSecond is { } u ? u.ToString("F0", CultureInfo.InvariantCulture) : "null")}}}"));

    private static Task Log(string message) => Console.Error.WriteLineAsync(message);
}
