using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiEng.Benchmarks.Beir;

/// <summary>
/// <c>beir --data DIR --pipeline [--split test] [--retriever keyword|dense|hybrid|all] [--set Key=Value;Key=Value] [--cache DIR|none] [--tune-on SPLIT]</c>:
/// retrieval quality of what ships. A BEIR collection goes through the product's own path, as an application would use it:
/// <c>services.AddAiEng(configuration).AddOnnx().AddRetrieval()</c>, the corpus ingested by the registered
/// <see cref="DocumentIngestor"/> from <c>corpus.jsonl</c> (<see cref="JsonlDocumentLoaderOptions.ForBeirCorpus"/>), and
/// every judged query asked through the registered <see cref="IRetriever"/> with top 100; documents are ranked by their best
/// chunk. It prints the same JSON line as <c>beir</c> per retriever, with <c>"pipeline":true</c>, the ingestion throughput
/// (chunks per second) and the query latency (p50, p95).
/// </summary>
/// <remarks>
/// <para>
/// Options are the shipped defaults unless <c>--set</c> overrides configuration keys under <c>AiEng</c> (for example
/// <c>--set Retrieval:ChunkSize=300</c>); the overrides are printed in the line as <c>settings</c>. Each retriever gets its
/// own service provider and store, configured by <c>AiEng:Retrieval:Retriever</c>.
/// </para>
/// <para>
/// The chunk embeddings are cached on disk by the product's own <c>UseDiskCache</c> (default
/// <c>$TMPDIR/aieng-beir-cache/pipeline</c>; <c>--cache none</c> turns it off), so that runs after the first, and retrievers
/// after the first, do not embed the corpus again. The cache returns the vectors the model computed, so quality is the same
/// with or without it; the ingestion throughput is only the model's when the cache was cold (<c>embedding_cache</c> says
/// whether one was used; measure throughput with <c>--cache none</c>). Query embeddings go through the same cache, so
/// the latency of a query asked before (by an earlier retriever or run) excludes the model: take latency figures with
/// <c>--cache none</c> too.
/// </para>
/// <para>
/// <c>--tune-on SPLIT</c> (another split than the evaluated one, such as <c>train</c>) chooses fusion defaults without
/// seeing the evaluated queries: the corpus is ingested once as above, and <see cref="HybridRetriever"/> over the keyword
/// and dense retrievers of the same collection is run with each fusion setting of a grid (reciprocal rank with k 60, and
/// normalised scores with dense weights 0.3 to 0.7, each at candidate depths 100 to 1000) on that split's judged queries.
/// One JSON line per setting (<c>"tune":true</c>) is printed; nothing is evaluated on the evaluated split.
/// </para>
/// </remarks>
internal static class BeirPipelineBenchmark
{
    private const int Top = 100;

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        string directory = arguments.GetString("data") ?? throw new ArgumentException("--data DIR is required (a BEIR-format directory with corpus.jsonl, queries.jsonl and qrels/).");
        string split = arguments.GetString("split") ?? "test";
        string retriever = (arguments.GetString("retriever") ?? "all").ToLowerInvariant();
        string[] kinds = retriever switch
        {
            "all" => ["keyword", "dense", "hybrid"],
            "keyword" or "dense" or "hybrid" => [retriever],
            _ => throw new ArgumentException($"--retriever must be keyword, dense, hybrid or all with --pipeline, not '{retriever}'."),
        };
        var settings = ParseSettings(arguments.GetString("set"));
        string cache = arguments.GetString("cache") ?? Path.Combine(Path.GetTempPath(), "aieng-beir-cache", "pipeline");
        bool cached = !string.Equals(cache, "none", StringComparison.OrdinalIgnoreCase);

        var dataset = BeirDataset.Load(directory);
        var qrels = dataset.LoadQrels(split);
        var queryIds = BeirBenchmark.JudgedQueries(dataset, qrels, split);
        Log($"beir --pipeline: {dataset.Name}: {dataset.Corpus.Length} documents, {queryIds.Length} judged queries in split '{split}'");

        if (arguments.GetString("tune-on") is { } tuneOn)
        {
            if (tuneOn == split)
            {
                throw new ArgumentException($"--tune-on {tuneOn} would tune on the evaluated split; tune on another split, such as train.");
            }

            var tuneQrels = dataset.LoadQrels(tuneOn);
            await TuneAsync(dataset, tuneOn, BeirBenchmark.JudgedQueries(dataset, tuneQrels, tuneOn), tuneQrels, settings, cached ? cache : null).ConfigureAwait(false);
            return;
        }

        foreach (string kind in kinds)
        {
            await RunOneAsync(dataset, split, queryIds, qrels, kind, settings, cached ? cache : null).ConfigureAwait(false);
        }
    }

    private static async Task RunOneAsync(
        BeirDataset dataset, string split, string[] queryIds, Dictionary<string, Dictionary<string, int>> qrels, string kind, Dictionary<string, string?> settings, string? cache)
    {
        var (provider, ingested) = await IngestAsync(dataset, kind, settings, cache).ConfigureAwait(false);
        await using var disposeProvider = provider.ConfigureAwait(false);
        var retriever = provider.GetRequiredService<IRetriever>();
        var scores = await MeasureAsync(dataset, queryIds, qrels, retriever).ConfigureAwait(false);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "beir",
            dataset = dataset.Name,
            retriever = kind,
            pipeline = true,
            split,
            docs = dataset.Corpus.Length,
            chunks = ingested.Chunks,
            queries = scores.Queries,
            ndcg_at_10 = scores.Ndcg,
            recall_at_100 = scores.Recall,
            mrr_at_10 = scores.Mrr,
            ingest_s = Math.Round(ingested.Seconds, 2),
            ingest_chunks_per_s = Math.Round(ingested.Chunks / ingested.Seconds, 1),
            embedding_cache = cache is not null,
            query_ms_p50 = scores.P50,
            query_ms_p95 = scores.P95,
            settings = Describe(settings),
        }));
    }

    private static async Task TuneAsync(
        BeirDataset dataset, string split, string[] queryIds, Dictionary<string, Dictionary<string, int>> qrels, Dictionary<string, string?> settings, string? cache)
    {
        var (provider, _) = await IngestAsync(dataset, "hybrid", settings, cache).ConfigureAwait(false);
        await using var disposeProvider = provider.ConfigureAwait(false);
        var collection = provider.GetRequiredService<VectorStoreCollection<Guid, ChunkRecord>>();
        var keyword = await KeywordRetriever.LoadAsync(collection).ConfigureAwait(false);
        var dense = new VectorStoreRetriever(collection, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        var grid = new List<HybridRetrieverOptions>();
        foreach (int depth in new[] { 100, 200, 500, 1000 })
        {
            grid.Add(new HybridRetrieverOptions { Fusion = FusionMethod.ReciprocalRank, CandidateDepth = depth });
            foreach (double weight in new[] { 0.3, 0.4, 0.5, 0.6, 0.7 })
            {
                grid.Add(new HybridRetrieverOptions { Fusion = FusionMethod.NormalizedScore, Weights = [1 - weight, weight], CandidateDepth = depth });
            }
        }

        foreach (var options in grid)
        {
            // The same order as the registered hybrid retriever: keyword first, dense second (weights in that order).
            var hybrid = new HybridRetriever([keyword, dense], options);
            var scores = await MeasureAsync(dataset, queryIds, qrels, hybrid).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "beir",
                dataset = dataset.Name,
                retriever = "hybrid",
                pipeline = true,
                tune = true,
                split,
                queries = scores.Queries,
                fusion = options.Fusion == FusionMethod.ReciprocalRank ? "rrf" : "normalized_score",
                dense_weight = options.Weights?[1],
                rrf_k = options.Fusion == FusionMethod.ReciprocalRank ? options.RrfK : (int?)null,
                candidate_depth = options.CandidateDepth,
                ndcg_at_10 = scores.Ndcg,
                recall_at_100 = scores.Recall,
                mrr_at_10 = scores.Mrr,
                settings = Describe(settings),
            }));
        }
    }

    /// <summary>Builds the application's services for <paramref name="kind"/> and ingests the corpus through its <see cref="DocumentIngestor"/>.</summary>
    private static async Task<(ServiceProvider Provider, IngestionFigures Figures)> IngestAsync(BeirDataset dataset, string kind, Dictionary<string, string?> settings, string? cache)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["AiEng:Retrieval:Retriever"] = kind };
        foreach (var (key, value) in settings)
        {
            values["AiEng:" + key] = value;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        AiEngBuilder aieng = services.AddAiEng(configuration.GetSection("AiEng")).AddOnnx().AddRetrieval();
        if (cache is not null)
        {
            aieng.ConfigureEmbeddingPipeline(pipeline => pipeline.UseDiskCache(cache));
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await provider.GetRequiredService<Microsoft.Extensions.Options.IAsyncStartupValidator>().ValidateAsync(CancellationToken.None).ConfigureAwait(false);

        var ingestor = provider.GetRequiredService<DocumentIngestor>();
        var loader = new JsonlDocumentLoader(JsonlDocumentLoaderOptions.ForBeirCorpus());
        long started = Stopwatch.GetTimestamp();
        var ingested = await ingestor.IngestSourceAsync(loader, DocumentSource.FromFile(dataset.CorpusPath)).ConfigureAwait(false);
        var figures = new IngestionFigures(ingested.Chunks, Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (ingested.Issues.Count > 0 || ingested.Added != dataset.Corpus.Length)
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"ingestion added {ingested.Added} of {dataset.Corpus.Length} documents with {ingested.Issues.Count} issues (first: {ingested.Issues.FirstOrDefault()}).");
        }

        Log($"beir --pipeline: {kind}: ingested {ingested.Added} documents as {ingested.Chunks} chunks in {figures.Seconds:F1} s");
        return (provider, figures);
    }

    private static Task<BeirScores> MeasureAsync(BeirDataset dataset, string[] queryIds, Dictionary<string, Dictionary<string, int>> qrels, IRetriever retriever) =>
        BeirScores.MeasureAsync(dataset, queryIds, qrels, async text => DocumentsByBestChunk(await retriever.RetrieveAsync(new RetrievalRequest(text) { Top = Top }).ConfigureAwait(false)));

    private static string? Describe(Dictionary<string, string?> settings) =>
        settings.Count == 0 ? null : string.Join(";", settings.Select(pair => $"{pair.Key}={pair.Value}"));

    /// <summary>Ranks each document by its best chunk: the first time its id appears in the chunk ranking, with that chunk's score.</summary>
    private static IReadOnlyList<SearchHit> DocumentsByBestChunk(IReadOnlyList<RetrievedChunk> chunks)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var documents = new List<SearchHit>(chunks.Count);
        foreach (var chunk in chunks)
        {
            if (seen.Add(chunk.Chunk.DocumentId))
            {
                documents.Add(new SearchHit(chunk.Chunk.DocumentId, chunk.Score));
            }
        }

        return documents;
    }

    private static Dictionary<string, string?> ParseSettings(string? text)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (string pair in (text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--set takes Key=Value pairs separated by ';' (keys under AiEng, for example Retrieval:ChunkSize=300), not '{pair}'."));
            }

            settings[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        return settings;
    }

    private static void Log(string message) => Console.Error.WriteLine(message);

    /// <summary>What the ingestion of one run wrote and how long it took.</summary>
    private sealed record IngestionFigures(int Chunks, double Seconds);
}
