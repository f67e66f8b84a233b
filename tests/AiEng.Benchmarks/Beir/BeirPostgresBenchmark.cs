using System.Diagnostics;
using AiEng.Inference;
using AiEng.Onnx;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Benchmarks.Beir;

/// <summary>
/// <c>beir --data DIR --store postgres</c>: the collection's documents (title + text, with the cached all-MiniLM-L6-v2
/// vectors of the bare <c>beir</c> run) upserted into an <c>AiEng.Postgres</c> collection, then every judged query searched
/// there keyword (the store's full-text search), dense (exact cosine) and hybrid (the store's one-statement reciprocal-rank fusion of pgvector and full-text
/// search), beside the in-memory dense and hybrid of the same run. The server is PGlite from npm unless
/// <c>--connection</c> or AIENG_POSTGRES_CONNECTION_STRING names a real one.
/// </summary>
internal static class BeirPostgresBenchmark
{
    private static readonly EmbeddingGenerationOptions QueryOptions = new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Query);

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        string directory = arguments.GetString("data") ?? throw new ArgumentException("--data DIR is required (a BEIR-format directory with corpus.jsonl, queries.jsonl and qrels/).");
        string split = arguments.GetString("split") ?? "test";
        int top = arguments.GetInt("top", 100);
        var dataset = BeirDataset.Load(directory);
        var qrels = dataset.LoadQrels(split);
        string[] queryIds = BeirBenchmark.JudgedQueries(dataset, qrels, split);
        Log($"beir --store postgres: {dataset.Name}: {dataset.Corpus.Length} documents, {queryIds.Length} judged queries in split '{split}'");

        using var generator = new OnnxEmbeddingGenerator();
        DenseCorpusIndex dense = await DenseCorpusIndex.LoadOrBuildAsync(dataset, generator, OnnxEmbeddingGeneratorOptions.DefaultMaxSequenceLength).ConfigureAwait(false);
        var bm25 = BeirBenchmark.BuildBm25(dataset);

        await using var server = await BenchmarkPostgres.StartAsync(arguments, Console.Error).ConfigureAwait(false);
        using var store = new PostgresVectorStore(server.ConnectionString);
        var collection = store.GetCollection<string, BeirPassage>($"beir_{Sanitize(dataset.Name)}");
        await collection.EnsureCollectionDeletedAsync().ConfigureAwait(false);
        await collection.EnsureCollectionExistsAsync().ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var byId = dataset.Corpus.ToDictionary(document => document.Id, StringComparer.Ordinal);
        foreach (var batch in dense.Ids.Select((id, row) => (id, row)).Chunk(500))
        {
            await collection.UpsertAsync(batch.Select(item => new BeirPassage { Id = item.id, Text = byId[item.id].FullText, Vector = dense.Row(item.row) })).ConfigureAwait(false);
        }

        double upsertSeconds = watch.Elapsed.TotalSeconds;
        Log($"beir --store postgres: {dense.Ids.Count} documents upserted in {upsertSeconds:F1} s ({dense.Ids.Count / upsertSeconds:F0} docs/s)");

        var hybridSearch = (IKeywordHybridSearchable<BeirPassage>)collection;
        await EvaluateAsync(dataset, "memory", "bm25", queryIds, qrels, text => Task.FromResult<IReadOnlyList<SearchHit>>([.. bm25.Search(text, top).Select(hit => new SearchHit(hit.Id, hit.Score))]), 0).ConfigureAwait(false);
        await EvaluateAsync(dataset, "memory", "dense", queryIds, qrels, text => BeirBenchmark.DenseSearchAsync(dense, generator, text, top), dense.EmbedSeconds).ConfigureAwait(false);
        await EvaluateAsync(dataset, "memory", "hybrid", queryIds, qrels, text => BeirBenchmark.HybridSearchAsync(bm25, dense, generator, text, 1000, 0.5, top), dense.EmbedSeconds).ConfigureAwait(false);
        await EvaluateAsync(dataset, "postgres", "dense", queryIds, qrels, async text =>
        {
            ReadOnlyMemory<float> vector = (await generator.GenerateAsync([text], QueryOptions).ConfigureAwait(false))[0].Vector;
            return await HitsAsync(collection.SearchAsync(vector, top)).ConfigureAwait(false);
        }, upsertSeconds).ConfigureAwait(false);
        await EvaluateAsync(dataset, "postgres", "keyword", queryIds, qrels, text => HitsAsync(((IKeywordSearchable<BeirPassage>)collection).KeywordSearchAsync(text, top)), upsertSeconds).ConfigureAwait(false);
        await EvaluateAsync(dataset, "postgres", "hybrid", queryIds, qrels, async text =>
        {
            ReadOnlyMemory<float> vector = (await generator.GenerateAsync([text], QueryOptions).ConfigureAwait(false))[0].Vector;
            return await HitsAsync(hybridSearch.HybridSearchAsync(vector, [text], top)).ConfigureAwait(false);
        }, upsertSeconds).ConfigureAwait(false);
        await collection.EnsureCollectionDeletedAsync().ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<SearchHit>> HitsAsync(IAsyncEnumerable<VectorSearchResult<BeirPassage>> results)
    {
        var hits = new List<SearchHit>();
        await foreach (var result in results.ConfigureAwait(false))
        {
            hits.Add(new SearchHit(result.Record.Id, result.Score ?? 0));
        }

        return hits;
    }

    private static Task EvaluateAsync(
        BeirDataset dataset, string store, string retriever, string[] queryIds, Dictionary<string, Dictionary<string, int>> qrels, Func<string, Task<IReadOnlyList<SearchHit>>> search, double indexSeconds) =>
        BeirBenchmark.EvaluateAsync(dataset, retriever, queryIds, qrels, search, indexSeconds, store);

    private static string Sanitize(string name) => new([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);

    private static void Log(string message) => Console.Error.WriteLine(message);

    /// <summary>A BEIR document as the PostgreSQL collection stores it.</summary>
    private sealed class BeirPassage
    {
        [VectorStoreKey]
        public string Id { get; set; } = string.Empty;

        [VectorStoreData(IsFullTextIndexed = true)]
        public string Text { get; set; } = string.Empty;

        [VectorStoreVector(384, DistanceFunction = DistanceFunction.CosineSimilarity)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }
}
