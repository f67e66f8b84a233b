using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using AiEng.Benchmarks.Vectors;
using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.Benchmarks.Load;

/// <summary>
/// <c>store-load [--n 20000] [--dim 384] [--idle-queries 300] [--stores memory,hnsw,sqlite,postgres,postgres-hnsw]
/// [--connection CS]</c>: readers and writers at
/// once. Each store is loaded with the first half of <see cref="EmbeddingLikeData"/>; one reader then searches (top 10)
/// with nothing else running (the idle baseline), and again while a writer upserts the second half in one batch and
/// deletes a tenth of the first half. Every result is checked: an id that was never written, a deleted id after its delete
/// completed, or a search that throws counts as an error. Prints one JSON line per store with the p50/p99 search latency
/// idle and during the bulk write, their ratio, the slowest search of each phase, the searches made during the write and the
/// errors (target 0). The default stores are the in-memory exact and HNSW stores and SQLite; <c>postgres</c> (no vector
/// index: exact search) and <c>postgres-hnsw</c> (pgvector's HNSW, M 16, ef_construction 64) run against the server
/// <c>--connection</c> or AIENG_POSTGRES_CONNECTION_STRING names, else PGlite (PostgreSQL in WebAssembly, one query at a
/// time whatever the connections, so a search waits for the writer's statement in progress).
/// </summary>
internal static class StoreLoadBenchmark
{
    private const int Top = 10;

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int n = arguments.GetInt("n", 20_000);
        int dim = arguments.GetInt("dim", 384);
        int idleQueries = arguments.GetInt("idle-queries", 300);
        string[] stores = (arguments.GetString("stores") ?? "memory,hnsw,sqlite").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (n < 100 || dim < 1 || idleQueries < 10)
        {
            throw new ArgumentException("--n must be at least 100, --dim at least 1 and --idle-queries at least 10.");
        }

        string[] known = ["memory", "hnsw", "sqlite", "postgres", "postgres-hnsw"];
        string? unknown = stores.FirstOrDefault(kind => !known.Contains(kind, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw new ArgumentException($"Unknown store '{unknown}' in --stores; use {string.Join(", ", known)}.");
        }

        var data = EmbeddingLikeData.Generate(n, dim, queryCount: 1000, seed: 7);
        BenchmarkPostgres? postgres = null;
        try
        {
            foreach (string kind in stores)
            {
                string? file = kind == "sqlite" ? Path.Combine(Path.GetTempPath(), $"aieng-store-load-{Guid.NewGuid():N}.db") : null;
                if (kind.StartsWith("postgres", StringComparison.Ordinal))
                {
                    postgres ??= await BenchmarkPostgres.StartAsync(arguments, Console.Error).ConfigureAwait(false);
                }

                using VectorStore store = kind switch
                {
                    "memory" => new InMemoryVectorStore(),
                    "hnsw" => new InMemoryVectorStore(new InMemoryVectorStoreOptions { DefaultIndexKind = IndexKind.Hnsw }),
                    "sqlite" => new SqliteVectorStore(file!),
                    _ => new PostgresVectorStore(
                        postgres!.ConnectionString,
                        new PostgresVectorStoreOptions
                        {
                            Schema = $"aieng_store_load_{Environment.ProcessId}",
                            IndexKind = kind == "postgres-hnsw" ? PostgresIndexKind.Hnsw : PostgresIndexKind.Flat,
                            HnswM = 16,
                            HnswEfConstruction = 64,
                        }),
                };
                try
                {
                    await MeasureAsync(kind + (postgres?.IsPglite == true && kind.StartsWith("postgres", StringComparison.Ordinal) ? " (pglite)" : string.Empty), store, data, idleQueries).ConfigureAwait(false);
                }
                finally
                {
                    if (file is not null)
                    {
                        foreach (string leftover in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
                        {
                            File.Delete(leftover);
                        }
                    }
                }
            }
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task MeasureAsync(string kind, VectorStore store, EmbeddingLikeData data, int idleQueries)
    {
        int half = data.Count / 2;
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(VectorsBenchmark.VectorRecord.Id), typeof(int)),
                new VectorStoreVectorProperty(nameof(VectorsBenchmark.VectorRecord.Vector), typeof(ReadOnlyMemory<float>), data.Dimensions),
            ],
        };
        var collection = store.GetCollection<int, VectorsBenchmark.VectorRecord>("load", definition);
        await collection.EnsureCollectionDeletedAsync().ConfigureAwait(false);
        await collection.EnsureCollectionExistsAsync().ConfigureAwait(false);
        await collection.UpsertAsync(Records(data, 0, half)).ConfigureAwait(false);

        var deleted = new ConcurrentDictionary<int, bool>();
        int errors = 0;
        async Task<double> SearchAsync(int query)
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                int[] seenDeleted = [.. deleted.Keys];
                await foreach (var hit in collection.SearchAsync((ReadOnlyMemory<float>)data.Queries.AsMemory((query % data.QueryCount) * data.Dimensions, data.Dimensions), Top).ConfigureAwait(false))
                {
                    // Never written, or deleted before this search began: either is a result that must not be.
                    if (hit.Record.Id < 0 || hit.Record.Id >= data.Count || Array.IndexOf(seenDeleted, hit.Record.Id) >= 0)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Interlocked.Increment(ref errors);
                await Console.Error.WriteLineAsync($"store-load {kind}: a search failed during the write: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            }

            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        for (int q = 0; q < 20; q++)
        {
            await SearchAsync(q).ConfigureAwait(false);
        }

        var idle = new List<double>(idleQueries);
        for (int q = 0; q < idleQueries; q++)
        {
            idle.Add(await SearchAsync(q).ConfigureAwait(false));
        }

        // The writer: the second half in one batch, then a tenth of the first half deleted; the reader searches until it is done.
        var writing = new List<double>();
        long writeStart = Stopwatch.GetTimestamp();
        Task writer = Task.Run(async () =>
        {
            await collection.UpsertAsync(Records(data, half, data.Count)).ConfigureAwait(false);
            int[] toDelete = [.. Enumerable.Range(0, half / 10).Select(static i => i * 10)];
            await collection.DeleteAsync(toDelete).ConfigureAwait(false);
            foreach (int id in toDelete)
            {
                deleted[id] = true;
            }
        });
        for (int q = 0; !writer.IsCompleted; q++)
        {
            writing.Add(await SearchAsync(q).ConfigureAwait(false));
        }

        await writer.ConfigureAwait(false);
        double writeSeconds = Stopwatch.GetElapsedTime(writeStart).TotalSeconds;
        idle.Sort();
        writing.Sort();
        double idleP50 = Quantile(idle, 0.50), idleP99 = Quantile(idle, 0.99);
        double writeP50 = Quantile(writing, 0.50), writeP99 = Quantile(writing, 0.99);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"bench":"store-load","store":"{{kind}}","n":{{data.Count}},"dim":{{data.Dimensions}},"batch":{{data.Count - half}},"write_s":{{writeSeconds:0.###}},"idle_p50_ms":{{idleP50:0.###}},"idle_p99_ms":{{idleP99:0.###}},"write_p50_ms":{{writeP50:0.###}},"write_p99_ms":{{writeP99:0.###}},"p50_ratio":{{writeP50 / idleP50:0.##}},"p99_ratio":{{writeP99 / idleP99:0.##}},"idle_max_ms":{{idle[^1]:0.###}},"write_max_ms":{{writing[^1]:0.###}},"searches_during_write":{{writing.Count}},"errors":{{errors}}}"""));
        await collection.EnsureCollectionDeletedAsync().ConfigureAwait(false);
    }

    private static List<VectorsBenchmark.VectorRecord> Records(EmbeddingLikeData data, int from, int to)
    {
        var records = new List<VectorsBenchmark.VectorRecord>(to - from);
        for (int i = from; i < to; i++)
        {
            records.Add(new VectorsBenchmark.VectorRecord { Id = i, Vector = data.Points.AsMemory(i * data.Dimensions, data.Dimensions) });
        }

        return records;
    }

    private static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
