using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Benchmarks.Beir;

/// <summary>
/// <c>beir --data DIR --pipeline [--split test] [--retriever keyword|dense|hybrid|all] [--set Key=Value;Key=Value] [--cache DIR|none]</c>:
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
/// whether one was used; measure throughput with <c>--cache none</c>).
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

        foreach (string kind in kinds)
        {
            await RunOneAsync(dataset, split, queryIds, qrels, kind, settings, cached ? cache : null).ConfigureAwait(false);
        }
    }

    private static async Task RunOneAsync(
        BeirDataset dataset, string split, string[] queryIds, Dictionary<string, Dictionary<string, int>> qrels, string kind, Dictionary<string, string?> settings, string? cache)
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

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await provider.GetRequiredService<Microsoft.Extensions.Options.IAsyncStartupValidator>().ValidateAsync(CancellationToken.None).ConfigureAwait(false);

        var ingestor = provider.GetRequiredService<DocumentIngestor>();
        var loader = new JsonlDocumentLoader(JsonlDocumentLoaderOptions.ForBeirCorpus());
        long started = Stopwatch.GetTimestamp();
        var ingested = await ingestor.IngestSourceAsync(loader, DocumentSource.FromFile(dataset.CorpusPath)).ConfigureAwait(false);
        double ingestSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (ingested.Issues.Count > 0 || ingested.Added != dataset.Corpus.Length)
        {
            throw new InvalidOperationException($"ingestion added {ingested.Added} of {dataset.Corpus.Length} documents with {ingested.Issues.Count} issues (first: {ingested.Issues.FirstOrDefault()}).");
        }

        Log($"beir --pipeline: {kind}: ingested {ingested.Added} documents as {ingested.Chunks} chunks in {ingestSeconds:F1} s");
        var retriever = provider.GetRequiredService<IRetriever>();
        var scores = await BeirScores.MeasureAsync(dataset, queryIds, qrels, async text => DocumentsByBestChunk(await retriever.RetrieveAsync(new RetrievalRequest(text) { Top = Top }).ConfigureAwait(false))).ConfigureAwait(false);
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
            ingest_s = Math.Round(ingestSeconds, 2),
            ingest_chunks_per_s = Math.Round(ingested.Chunks / ingestSeconds, 1),
            embedding_cache = cache is not null,
            query_ms_p50 = scores.P50,
            query_ms_p95 = scores.P95,
            settings = settings.Count == 0 ? null : string.Join(";", settings.Select(pair => $"{pair.Key}={pair.Value}")),
        }));
    }

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
}
