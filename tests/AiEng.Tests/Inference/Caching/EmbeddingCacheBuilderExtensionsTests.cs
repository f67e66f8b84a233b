using AiEng.Inference;
using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.Retrieval.Ingestion;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using static AiEng.Tests.Retrieval.Ingestion.IngestionFixtures;

namespace AiEng.Tests.Inference.Caching;

public sealed class EmbeddingCacheBuilderExtensionsTests
{
    [Fact]
    public async Task Reindexing_unchanged_text_makes_no_call_to_the_underlying_generator()
    {
        using var cacheDirectory = new TempDirectory();
        TestEmbeddingGenerator model = Embedder();
        Document[] documents = [Doc("a", "one", "two"), Doc("b", "three")];
        await Ingest(model, cacheDirectory, new FakeChunkCollection(atomic: true), documents);
        int calls = model.CallCount;
        Assert.True(calls > 0);

        // A fresh collection (say, after switching stores) has no hashes to compare: every chunk is embedded again, from the cache.
        var fresh = new FakeChunkCollection(atomic: true);
        IngestionResult result = await Ingest(model, cacheDirectory, fresh, documents);

        Assert.Equal(2, result.Added);
        Assert.Equal(calls, model.CallCount);
        Assert.Equal(["one", "two", "three"], fresh.Records.OrderBy(r => r.DocumentId).ThenBy(r => r.ChunkIndex).Select(r => r.Text));
        Assert.Equal(Vector("three", 4), fresh.RecordsOf("b")[0].Embedding.ToArray());
    }

    [Fact]
    public async Task Embeds_only_the_texts_not_yet_cached()
    {
        using var cacheDirectory = new TempDirectory();
        var seen = new List<string>();
        var model = TestEmbeddingGenerator.FromFunction(t =>
        {
            seen.Add(t);
            return [t.Length];
        });
        using IEmbeddingGenerator<string, Embedding<float>> cached = model.AsBuilder().UseDiskCache(cacheDirectory.Path).Build();

        await cached.GenerateAsync(["a", "bb"]);
        GeneratedEmbeddings<Embedding<float>> second = await cached.GenerateAsync(["bb", "ccc", "a"]);

        Assert.Equal(["a", "bb", "ccc"], seen);
        Assert.Equal([2f, 3f, 1f], second.Select(e => e.Vector.Span[0]));
    }

    [Fact]
    public async Task Keys_entries_by_the_model_so_that_models_sharing_a_directory_never_share_vectors()
    {
        using var cacheDirectory = new TempDirectory();
        var small = TestEmbeddingGenerator.FromFunction(_ => [1f]);
        small.Metadata = new EmbeddingGeneratorMetadata("test", null, "small-model", 1);
        var large = TestEmbeddingGenerator.FromFunction(_ => [2f, 2f]);
        large.Metadata = new EmbeddingGeneratorMetadata("test", null, "large-model", 2);
        using var smallCached = small.AsBuilder().UseDiskCache(cacheDirectory.Path).Build();
        using var largeCached = large.AsBuilder().UseDiskCache(cacheDirectory.Path).Build();

        await smallCached.GenerateAsync(["same text"]);
        GeneratedEmbeddings<Embedding<float>> fromLarge = await largeCached.GenerateAsync(["same text"]);
        await smallCached.GenerateAsync(["same text"]);

        Assert.Equal([2f, 2f], fromLarge[0].Vector.ToArray());
        Assert.Equal((1, 1), (small.CallCount, large.CallCount));
    }

    [Fact]
    public async Task Keys_entries_by_the_input_kind_so_that_a_query_never_gets_a_documents_vector()
    {
        using var cacheDirectory = new TempDirectory();
        var model = new TestEmbeddingGenerator
        {
            // A model with prefixes: the vector depends on what the text is embedded as.
            GenerateAsyncCallback = (values, options, _) => Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(
                values.Select(_ => new Embedding<float>(new[] { (float)options.GetInputKind() })))),
        };
        using var cached = model.AsBuilder().UseDiskCache(cacheDirectory.Path).Build();
        var query = new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Query);
        var document = new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Document);

        var asDocument = await cached.GenerateAsync(["same text"], document);
        var asQuery = await cached.GenerateAsync(["same text"], query);
        var unspecified = await cached.GenerateAsync(["same text"]);
        int calls = model.CallCount;
        var againAsQuery = await cached.GenerateAsync(["same text"], new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Query));
        var againAsDocument = await cached.GenerateAsync(["same text"], document);

        Assert.Equal(3, calls);
        Assert.Equal(calls, model.CallCount);
        Assert.Equal(
            [EmbeddingInputKind.Document, EmbeddingInputKind.Query, EmbeddingInputKind.Unspecified, EmbeddingInputKind.Query, EmbeddingInputKind.Document],
            new[] { asDocument, asQuery, unspecified, againAsQuery, againAsDocument }.Select(result => (EmbeddingInputKind)result[0].Vector.Span[0]));
    }

    [Fact]
    public void Rejects_missing_arguments()
    {
        var builder = TestEmbeddingGenerator.FromFunction(_ => [1f]).AsBuilder();
        Assert.Throws<ArgumentNullException>(() => EmbeddingCacheBuilderExtensions.UseDiskCache(null!, "dir"));
        Assert.Throws<ArgumentException>(() => builder.UseDiskCache(" "));
        Assert.Throws<ArgumentNullException>(() => builder.UseEmbeddingCache(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.UseDiskCache("dir", o => o.MaxSizeBytes = -1));
    }

    private static Task<IngestionResult> Ingest(TestEmbeddingGenerator model, TempDirectory cacheDirectory, FakeChunkCollection collection, Document[] documents)
    {
        IEmbeddingGenerator<string, Embedding<float>> cached = model.AsBuilder().UseDiskCache(cacheDirectory.Path).Build();
        return new DocumentIngestor(collection, cached, new ParagraphChunker()).IngestAsync(Stream(documents));
    }
}
