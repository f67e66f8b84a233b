using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using AiEng.Retrieval;

namespace AiEng.Benchmarks.Vectors;

/// <summary>
/// <c>sqlite</c>: the SQLite vector store on embedding-like data. Ingests <c>--count</c> chunks of <c>--dim</c> dimensions as
/// documents of <c>--chunks</c> chunks, one atomic <c>ReplaceAsync</c> (one transaction) per document, into a fresh
/// temporary file; then runs <c>--queries</c> top-<c>--top</c> searches and reports the median and p95 latency, and the
/// recall against a brute-force exact search in memory (the store is exact too, so anything below 1 is a bug).
/// </summary>
internal static class SqliteStoreBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int count = arguments.GetInt("count", 20_000);
        int dimensions = arguments.GetInt("dim", 384);
        int chunks = arguments.GetInt("chunks", 16);
        int queries = arguments.GetInt("queries", 200);
        int top = arguments.GetInt("top", 10);
        var data = EmbeddingLikeData.Generate(count, dimensions, queries);

        var directory = Path.Combine(Path.GetTempPath(), "aieng-sqlite-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var path = Path.Combine(directory, "bench.db");
            using var store = new SqliteVectorStore(path);
            var collection = store.GetCollection<Guid, ChunkRecord>("bench", ChunkRecord.CreateDefinition(dimensions));
            await collection.EnsureCollectionExistsAsync().ConfigureAwait(false);
            var writer = (IAtomicRecordWriter<Guid, ChunkRecord>)collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>))!;

            var ingest = Stopwatch.StartNew();
            for (int start = 0; start < count; start += chunks)
            {
                var documentId = "doc" + (start / chunks).ToString(CultureInfo.InvariantCulture);
                var records = Enumerable.Range(start, Math.Min(chunks, count - start)).Select(i => new ChunkRecord
                {
                    Key = Key(i),
                    DocumentId = documentId,
                    ChunkIndex = i - start,
                    Text = "chunk " + i.ToString(CultureInfo.InvariantCulture),
                    ContentHash = "h",
                    Embedding = data.Point(i).ToArray(),
                }).ToList();
                await writer.ReplaceAsync(records.Select(r => r.Key).ToList(), records).ConfigureAwait(false);
            }

            ingest.Stop();
            await Console.Error.WriteLineAsync($"ingested {count} chunks in {ingest.Elapsed.TotalSeconds:F2} s").ConfigureAwait(false);

            // Warm up (JIT, page cache), then measure.
            await collection.SearchAsync(data.Query(0).ToArray(), top).ToListAsync().ConfigureAwait(false);
            var latencies = new List<double>(queries);
            double hits = 0;
            for (int q = 0; q < queries; q++)
            {
                var query = data.Query(q).ToArray();
                long begin = Stopwatch.GetTimestamp();
                var results = await collection.SearchAsync(query, top).ToListAsync().ConfigureAwait(false);
                latencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                var exact = ExactTop(data, query, top);
                hits += results.Count(r => exact.Contains(r.Record.Key));
            }

            latencies.Sort();
            long fileBytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"sqlite\",\"count\":{count},\"dim\":{dimensions},\"chunks_per_doc\":{chunks},\"ingest_chunks_per_s\":{count / ingest.Elapsed.TotalSeconds:F0},\"search_median_ms\":{latencies[latencies.Count / 2]:F2},\"search_p95_ms\":{latencies[(int)(latencies.Count * 0.95)]:F2},\"recall_at_{top}\":{hits / (queries * (double)top):F4},\"file_bytes\":{fileBytes}}}"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Guid Key(int index) => ChunkRecord.CreateKey("k", index);

    private static HashSet<Guid> ExactTop(EmbeddingLikeData data, float[] query, int top)
    {
        var scores = new (float Score, int Index)[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            scores[i] = (TensorPrimitives.CosineSimilarity(query, data.Point(i)), i);
        }

        return scores.OrderByDescending(s => s.Score).ThenBy(s => s.Index).Take(top).Select(s => Key(s.Index)).ToHashSet();
    }
}
