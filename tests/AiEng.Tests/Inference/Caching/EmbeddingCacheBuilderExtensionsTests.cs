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
    public async Task An_embedding_holding_NaN_is_returned_as_it_came_and_not_cached_so_that_the_next_call_asks_the_model_again()
    {
        // Before: MEAI's cache failed the whole call with an ArgumentException from its JSON writer (NaN is not JSON), so the
        // reader of the embedding never saw it to say what was wrong.
        using var cacheDirectory = new TempDirectory();
        int calls = 0;
        var model = TestEmbeddingGenerator.FromFunction(_ => ++calls == 1 ? [float.NaN, 1f] : [0.5f, 1f]);
        using IEmbeddingGenerator<string, Embedding<float>> cached = model.AsBuilder().UseDiskCache(cacheDirectory.Path).Build();

        ReadOnlyMemory<float> first = await cached.GenerateVectorAsync("q");
        ReadOnlyMemory<float> second = await cached.GenerateVectorAsync("q");
        ReadOnlyMemory<float> third = await cached.GenerateVectorAsync("q");

        Assert.True(float.IsNaN(first.Span[0]));
        Assert.Equal([0.5f, 1f], second.ToArray());
        Assert.Equal([0.5f, 1f], third.ToArray());
        Assert.Equal(2, calls);
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
    public async Task Keys_entries_by_the_model_fingerprint_so_that_two_copies_of_one_model_id_never_share_vectors()
    {
        using var cacheDirectory = new TempDirectory();
        // Same provider, path, model id and dimensions; only the weights differ (say, float32 and int8).
        var float32 = Fingerprinted("sha256:aaaa", 1f);
        var int8 = Fingerprinted("sha256:bbbb", 2f);
        var float32Again = Fingerprinted("sha256:aaaa", 3f);
        var unknown = Fingerprinted(null, 4f);
        using var float32Cached = float32.AsBuilder().UseDiskCache(cacheDirectory.Path).Build();
        using var int8Cached = int8.AsBuilder().UseDiskCache(cacheDirectory.Path).Build();
        using var float32AgainCached = float32Again.AsBuilder().UseDiskCache(cacheDirectory.Path).Build();
        using var unknownCached = unknown.AsBuilder().UseDiskCache(cacheDirectory.Path).Build();

        var first = await float32Cached.GenerateAsync(["same text"]);
        var fromInt8 = await int8Cached.GenerateAsync(["same text"]);
        var fromSameWeights = await float32AgainCached.GenerateAsync(["same text"]);
        var fromUnknown = await unknownCached.GenerateAsync(["same text"]);

        Assert.Equal([1f, 2f, 1f, 4f], new[] { first, fromInt8, fromSameWeights, fromUnknown }.Select(e => e[0].Vector.Span[0]));
        Assert.Equal((1, 1, 0, 1), (float32.CallCount, int8.CallCount, float32Again.CallCount, unknown.CallCount));
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

    private static TestEmbeddingGenerator Fingerprinted(string? fingerprint, float value)
    {
        var metadata = new EmbeddingGeneratorMetadata("onnx", new Uri("file:///models/minilm/model.onnx"), "minilm", 1);
        TestEmbeddingGenerator? model = null;
        model = new TestEmbeddingGenerator
        {
            Metadata = metadata,
            GenerateAsyncCallback = (values, _, _) => Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new[] { value })))),
            GetServiceCallback = (type, key) => key is not null ? null
                : type == typeof(EmbeddingGeneratorMetadata) ? metadata
                : type == typeof(EmbeddingModelFingerprint) && fingerprint is not null ? new EmbeddingModelFingerprint(fingerprint)
                : type.IsInstanceOfType(model) ? model
                : null,
        };
        return model;
    }
}
