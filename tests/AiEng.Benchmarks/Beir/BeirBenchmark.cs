using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AiEng.Evaluation;
using AiEng.Inference;
using AiEng.Onnx;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;

namespace AiEng.Benchmarks.Beir;

/// <summary>
/// <c>beir --data DIR [--split test] [--retriever bm25|dense|hybrid|rrf|all] [--top 100] [--tune-on SPLIT] [--weight W] [--fusion-depth 1000]</c>:
/// retrieval quality on any BEIR-format collection. For each retriever it prints one JSON line with nDCG@10, recall@100
/// and MRR@10 over the queries judged in the split (computed as trec_eval does), the index time and the median query time.
/// </summary>
/// <remarks>
/// <para>
/// bm25 indexes title + " " + text as one field (<see cref="Bm25IndexBuilder{TDocument}"/>, k1 0.9, b 0.4). dense embeds the same text
/// with the local all-MiniLM-L6-v2 (<see cref="OnnxEmbeddingGenerator"/>, sentence-transformers semantics) and ranks by
/// exact cosine similarity; its corpus matrix is cached on disk (see <see cref="DenseCorpusIndex"/>). hybrid fuses the
/// bm25 and dense top-1000 lists (<c>--fusion-depth</c>) with <see cref="NormalizedScoreFusion"/>: weight w for dense and 1 - w for bm25. w is
/// 0.5 (equal weight, no tuning) unless <c>--weight</c> sets it or <c>--tune-on train</c> picks it by grid search
/// (0.0, 0.1, ..., 1.0) for the best mean nDCG@10 on that split's queries, which must differ from the evaluated split.
/// The fusion depth of 1000 was chosen on SciFact's train split, never on its test queries: with <c>--tune-on train</c>, depth
/// 1000 reached a train nDCG@10 of 0.7362 (best w 0.5) against 0.7336 at depth 100 (best w 0.4); deeper lists give the
/// min-max normalisation a fuller picture of each retriever's score range.
/// rrf (not part of all) fuses the same lists with <see cref="ReciprocalRankFusion"/> (k 60).
/// fts5 and lucene (not part of all; <c>keyword</c> runs bm25, fts5 and lucene) are the alternatives AiEng's own BM25 index
/// was measured against: SQLite FTS5 (<see cref="Fts5KeywordIndex"/>) and Lucene.Net (<see cref="LuceneKeywordIndex"/>).
/// </para>
/// <para>
/// index_s is the time to build the BM25 index, the time the corpus embedding took (also when it was read from the cache),
/// or their sum for the fusions; query_ms_p50 is the median time of one query, including query analysis or embedding.
/// </para>
/// </remarks>
internal static class BeirBenchmark
{
    /// <summary>Marks query embeddings as queries, as AiEng's retrievers do (all-MiniLM-L6-v2 embeds both alike; an adapter transforms queries only).</summary>
    private static readonly JsonSerializerOptions OmitNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static readonly EmbeddingGenerationOptions QueryOptions = new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Query);

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        if (string.Equals(arguments.GetString("pipeline"), "true", StringComparison.OrdinalIgnoreCase))
        {
            await BeirPipelineBenchmark.RunAsync(arguments).ConfigureAwait(false);
            return;
        }

        string? store = arguments.GetString("store");
        if (store is not null)
        {
            if (!string.Equals(store, "postgres", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--store must be postgres (the bare run measures in-memory indexes), not '{store}'.");
            }

            await BeirPostgresBenchmark.RunAsync(arguments).ConfigureAwait(false);
            return;
        }

        string directory = arguments.GetString("data") ?? throw new ArgumentException("--data DIR is required (a BEIR-format directory with corpus.jsonl, queries.jsonl and qrels/).");
        string split = arguments.GetString("split") ?? "test";
        string retriever = (arguments.GetString("retriever") ?? "all").ToLowerInvariant();
        int top = arguments.GetInt("top", 100);
        int depth = arguments.GetInt("fusion-depth", 1000);
        string? tuneOn = arguments.GetString("tune-on");
        string[] retrievers = retriever switch
        {
            "all" => ["bm25", "dense", "hybrid"],
            "keyword" => ["bm25", "fts5", "lucene"],
            "bm25" or "dense" or "hybrid" or "rrf" or "fts5" or "lucene" => [retriever],
            _ => throw new ArgumentException($"--retriever must be bm25, dense, hybrid, rrf, fts5, lucene, keyword or all, not '{retriever}'."),
        };
        if (top < 100 || depth < 1)
        {
            throw new ArgumentException("--top must be at least 100 (recall@100 is reported) and --fusion-depth at least 1.");
        }

        if (tuneOn is not null && tuneOn == split)
        {
            throw new ArgumentException($"--tune-on {tuneOn} would tune on the evaluated split; tune on another split, such as train.");
        }

        var dataset = BeirDataset.Load(directory);
        var qrels = dataset.LoadQrels(split);
        var queryIds = JudgedQueries(dataset, qrels, split);
        Log($"beir: {dataset.Name}: {dataset.Corpus.Length} documents, {queryIds.Length} judged queries in split '{split}'");

        bool needsBm25 = retrievers.Any(r => r is "bm25" or "hybrid" or "rrf");
        bool needsDense = retrievers.Any(r => r is "dense" or "hybrid" or "rrf");
        Bm25Index<string>? bm25 = null;
        double bm25Seconds = 0;
        if (needsBm25)
        {
            var watch = Stopwatch.StartNew();
            bm25 = BuildBm25(dataset);
            bm25Seconds = watch.Elapsed.TotalSeconds;
            Log($"beir: bm25: indexed in {bm25Seconds:F2} s");
        }

        using var generator = needsDense ? new OnnxEmbeddingGenerator() : null;
        DenseCorpusIndex? dense = null;
        if (generator is not null)
        {
            dense = await DenseCorpusIndex.LoadOrBuildAsync(dataset, generator, OnnxEmbeddingGeneratorOptions.DefaultMaxSequenceLength).ConfigureAwait(false);
        }

        double weight = arguments.GetDouble("weight", 0.5);
        if (retrievers.Contains("hybrid") && tuneOn is not null)
        {
            weight = await TuneWeightAsync(dataset, tuneOn, bm25!, dense!, generator!, depth).ConfigureAwait(false);
        }

        foreach (string name in retrievers.Where(r => r is "fts5" or "lucene"))
        {
            var watch = Stopwatch.StartNew();
            using IDisposable index = name == "fts5" ? Fts5KeywordIndex.Build(dataset.Corpus) : LuceneKeywordIndex.Build(dataset.Corpus);
            double seconds = watch.Elapsed.TotalSeconds;
            Log($"beir: {name}: indexed in {seconds:F2} s");
            Func<string, Task<IReadOnlyList<SearchHit>>> keyword = index is Fts5KeywordIndex fts5
                ? text => Task.FromResult(fts5.Search(text, top))
                : text => Task.FromResult(((LuceneKeywordIndex)index).Search(text, top));
            await EvaluateAsync(dataset, name, queryIds, qrels, keyword, seconds).ConfigureAwait(false);
        }

        foreach (string name in retrievers.Where(r => r is not ("fts5" or "lucene")))
        {
            Func<string, Task<IReadOnlyList<SearchHit>>> search = name switch
            {
                "bm25" => text => Task.FromResult(Hits(bm25!.Search(text, top))),
                "dense" => async text => await DenseSearchAsync(dense!, generator!, text, top).ConfigureAwait(false),
                "hybrid" => async text => await HybridSearchAsync(bm25!, dense!, generator!, text, depth, weight, top).ConfigureAwait(false),
                _ => async text => Take(ReciprocalRankFusion.Fuse(await BothAsync(bm25!, dense!, generator!, text, depth).ConfigureAwait(false)), top),
            };
            double indexSeconds = name switch
            {
                "bm25" => bm25Seconds,
                "dense" => dense!.EmbedSeconds,
                _ => bm25Seconds + dense!.EmbedSeconds,
            };
            await EvaluateAsync(dataset, name, queryIds, qrels, search, indexSeconds).ConfigureAwait(false);
        }
    }

    /// <summary>Measures one retriever over the judged queries and prints its JSON line (with <c>store</c> when one is named).</summary>
    internal static async Task EvaluateAsync(
        BeirDataset dataset, string retriever, string[] queryIds, Dictionary<string, Dictionary<string, int>> qrels, Func<string, Task<IReadOnlyList<SearchHit>>> search, double indexSeconds, string? store = null)
    {
        var scores = await BeirScores.MeasureAsync(dataset, queryIds, qrels, search).ConfigureAwait(false);
        Console.WriteLine(JsonSerializer.Serialize(
            new
            {
                bench = "beir",
                dataset = dataset.Name,
                store,
                retriever,
                docs = dataset.Corpus.Length,
                queries = scores.Queries,
                ndcg_at_10 = scores.Ndcg,
                recall_at_100 = scores.Recall,
                mrr_at_10 = scores.Mrr,
                index_s = Math.Round(indexSeconds, 2),
                query_ms_p50 = scores.P50,
            },
            OmitNulls));
    }

    /// <summary>Chooses the dense weight of the hybrid by grid search on another split's judged queries.</summary>
    private static async Task<double> TuneWeightAsync(BeirDataset dataset, string split, Bm25Index<string> bm25, DenseCorpusIndex dense, OnnxEmbeddingGenerator generator, int depth)
    {
        var qrels = dataset.LoadQrels(split);
        var queryIds = JudgedQueries(dataset, qrels, split);
        var lists = new List<(string Id, IReadOnlyList<SearchHit>[] Lists)>();
        foreach (string id in queryIds)
        {
            lists.Add((id, await BothAsync(bm25, dense, generator, QueryText(dataset, id), depth).ConfigureAwait(false)));
        }

        double bestWeight = 0.5;
        double bestNdcg = double.MinValue;
        for (int step = 0; step <= 10; step++)
        {
            double w = step / 10.0;
            double ndcg = lists.Average(l => RetrievalMetrics.NdcgAtK(RetrievalMetrics.RankAsTrecEval(NormalizedScoreFusion.Fuse(l.Lists, [1 - w, w]).Take(100)), qrels[l.Id], 10));
            Log($"beir: tune on {split} ({queryIds.Length} queries): w = {w:F1} nDCG@10 = {ndcg:F4}");
            if (ndcg > bestNdcg + 1e-12 || (Math.Abs(ndcg - bestNdcg) <= 1e-12 && Math.Abs(w - 0.5) < Math.Abs(bestWeight - 0.5)))
            {
                (bestNdcg, bestWeight) = (ndcg, w);
            }
        }

        Log($"beir: hybrid weight chosen on {split}: w = {bestWeight.ToString("F1", CultureInfo.InvariantCulture)} (dense), {(1 - bestWeight).ToString("F1", CultureInfo.InvariantCulture)} (bm25); nDCG@10 on {split} = {bestNdcg:F4}");
        return bestWeight;
    }

    /// <summary>Indexes title + " " + text of every document with AiEng's BM25 (k1 0.9, b 0.4).</summary>
    internal static Bm25Index<string> BuildBm25(BeirDataset dataset)
    {
        var builder = new Bm25IndexBuilder<string>();
        foreach (var document in dataset.Corpus)
        {
            builder.Add(document.Id, document.FullText, document.Id);
        }

        return builder.Build();
    }

    /// <summary>The hybrid of the benchmark: bm25 and dense top-<paramref name="depth"/> lists fused by min-max normalisation, dense weighted <paramref name="weight"/>.</summary>
    internal static async Task<IReadOnlyList<SearchHit>> HybridSearchAsync(
        Bm25Index<string> bm25, DenseCorpusIndex dense, IEmbeddingGenerator<string, Embedding<float>> generator, string text, int depth, double weight, int top) =>
        Take(NormalizedScoreFusion.Fuse(await BothAsync(bm25, dense, generator, text, depth).ConfigureAwait(false), [1 - weight, weight]), top);

    /// <summary>Embeds <paramref name="text"/> as a query and returns the <paramref name="top"/> nearest documents.</summary>
    internal static async Task<IReadOnlyList<SearchHit>> DenseSearchAsync(DenseCorpusIndex dense, IEmbeddingGenerator<string, Embedding<float>> generator, string text, int top)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var embeddings = await generator.GenerateAsync([text], QueryOptions).ConfigureAwait(false);
        return dense.Search(embeddings[0].Vector.Span, top);
    }

    private static IReadOnlyList<SearchHit> Hits(IReadOnlyList<Bm25Hit<string>> hits) => hits.Select(hit => new SearchHit(hit.Id, hit.Score)).ToArray();

    private static async Task<IReadOnlyList<SearchHit>[]> BothAsync(Bm25Index<string> bm25, DenseCorpusIndex dense, IEmbeddingGenerator<string, Embedding<float>> generator, string text, int depth) =>
        [Hits(bm25.Search(text, depth)), await DenseSearchAsync(dense, generator, text, depth).ConfigureAwait(false)];

    internal static string[] JudgedQueries(BeirDataset dataset, Dictionary<string, Dictionary<string, int>> qrels, string split)
    {
        var missing = qrels.Keys.Where(id => !dataset.Queries.ContainsKey(id)).ToArray();
        if (missing.Length > 0)
        {
            Log($"beir: warning: {missing.Length} queries of qrels/{split}.tsv are not in queries.jsonl and are skipped (first: {missing[0]})");
        }

        return qrels.Keys.Where(dataset.Queries.ContainsKey).ToArray();
    }

    private static string QueryText(BeirDataset dataset, string id) => dataset.Queries[id];

    private static IReadOnlyList<SearchHit> Take(IReadOnlyList<SearchHit> hits, int top) => hits.Count <= top ? hits : hits.Take(top).ToArray();


    private static void Log(string message) => Console.Error.WriteLine(message);
}
