using AiEng.Testing;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

public sealed class InMemoryVectorStoreTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Rejects_a_rescore_multiplier_out_of_range(int multiplier)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryVectorStore(new InMemoryVectorStoreOptions { RescoreMultiplier = multiplier }));

        Assert.Equal("RescoreMultiplier", error.ParamName);
    }

    [Fact]
    public void Rejects_an_unknown_quantization()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryVectorStore(new InMemoryVectorStoreOptions { Quantization = (VectorQuantization)7 }));
    }

    [Fact]
    public async Task Keeps_a_copy_of_the_options()
    {
        var options = new InMemoryVectorStoreOptions { Quantization = VectorQuantization.None };
        using var store = new InMemoryVectorStore(options);
        options.RescoreMultiplier = 0;
        var collection = store.GetCollection<string, ConformanceRecord>("c");

        await collection.EnsureCollectionExistsAsync();

        Assert.True(await collection.CollectionExistsAsync());
    }

    [Fact]
    public void Does_not_support_dynamic_collections()
    {
        using var store = new InMemoryVectorStore();

        Assert.Throws<NotSupportedException>(() => store.GetDynamicCollection("d", ChunkRecord.CreateDefinition(8)));
    }

    [Fact]
    public async Task Collections_of_the_same_name_share_their_records()
    {
        using var store = new InMemoryVectorStore();
        var first = store.GetCollection<Guid, ChunkRecord>("shared", ChunkRecord.CreateDefinition(4));
        await first.EnsureCollectionExistsAsync();
        await first.UpsertAsync(new ChunkRecord { Key = ChunkRecord.CreateKey("k", 0), DocumentId = "d", Embedding = new float[] { 1, 0, 0, 0 } });

        var second = store.GetCollection<Guid, ChunkRecord>("shared", ChunkRecord.CreateDefinition(4));

        Assert.NotNull(await second.GetAsync(ChunkRecord.CreateKey("k", 0)));
    }

    [Fact]
    public async Task Opening_an_existing_collection_with_another_dimension_names_both()
    {
        using var store = new InMemoryVectorStore();
        await store.GetCollection<Guid, ChunkRecord>("c", ChunkRecord.CreateDefinition(4)).EnsureCollectionExistsAsync();
        var other = store.GetCollection<Guid, ChunkRecord>("c", ChunkRecord.CreateDefinition(8));

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => other.GetAsync(ChunkRecord.CreateKey("k", 0)));

        Assert.Equal("c", error.CollectionName);
        Assert.Contains("4 dimensions", error.Message, StringComparison.Ordinal);
        Assert.Contains("8 dimensions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_key_type_that_differs_from_the_record_key()
    {
        using var store = new InMemoryVectorStore();

        var error = Assert.Throws<NotSupportedException>(() => store.GetCollection<string, ChunkRecord>("c"));

        Assert.Contains("Key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_unsupported_index_kind_naming_the_property()
    {
        using var store = new InMemoryVectorStore();

        var error = Assert.Throws<NotSupportedException>(() => store.GetCollection<Guid, ChunkRecord>("c", ChunkRecord.CreateDefinition(4, IndexKind.DiskAnn)));

        Assert.Contains("Embedding", error.Message, StringComparison.Ordinal);
        Assert.Contains(IndexKind.DiskAnn, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_Hnsw_index_on_a_non_cosine_vector_naming_the_property()
    {
        using var store = new InMemoryVectorStore();
        var definition = new VectorStoreCollectionDefinition
        {
            Properties = [new VectorStoreKeyProperty("Id", typeof(Guid)), new VectorStoreVectorProperty("Vector", typeof(float[]), 3) { IndexKind = IndexKind.Hnsw, DistanceFunction = DistanceFunction.EuclideanDistance }],
        };

        var error = Assert.Throws<NotSupportedException>(() => store.GetCollection<Guid, GuidRecord>("c", definition));

        Assert.Contains("'Vector'", error.Message, StringComparison.Ordinal);
        Assert.Contains("cosine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_unknown_default_index_kinds_and_invalid_Hnsw_options()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryVectorStore(new InMemoryVectorStoreOptions { DefaultIndexKind = IndexKind.DiskAnn }));
        var error = Assert.Throws<ArgumentException>(() => new InMemoryVectorStore(new InMemoryVectorStoreOptions { Hnsw = new HnswOptions { M = 1 } }));
        Assert.Contains("M", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copies_the_Hnsw_options_when_the_store_is_created()
    {
        var hnsw = new HnswOptions { M = 4, EfConstruction = 8, EfSearch = 8 };
        using var store = new InMemoryVectorStore(new InMemoryVectorStoreOptions { DefaultIndexKind = IndexKind.Hnsw, Hnsw = hnsw });
        hnsw.M = 1;
        var collection = store.GetCollection<string, ConformanceRecord>("c");
        await collection.EnsureCollectionExistsAsync();

        await collection.UpsertAsync(new ConformanceRecord { Id = "a", Vector = new float[] { 1, 0, 0, 0 } });

        Assert.NotNull(await collection.GetAsync("a"));
    }

    [Theory]
    [InlineData(IndexKind.Hnsw)]
    [InlineData(IndexKind.QuantizedFlat)]
    public async Task Answers_collections_of_other_supported_index_kinds(string indexKind)
    {
        using var store = new InMemoryVectorStore();
        var collection = store.GetCollection<Guid, ChunkRecord>("c", ChunkRecord.CreateDefinition(4, indexKind));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new ChunkRecord { Key = ChunkRecord.CreateKey("a", 0), Embedding = new float[] { 1, 0, 0, 0 } },
            new ChunkRecord { Key = ChunkRecord.CreateKey("b", 0), Embedding = new float[] { 0, 1, 0, 0 } },
        ]);

        var hit = Assert.Single(await ToListAsync(collection.SearchAsync(new float[] { 0, 1, 0, 0 }, 1)));

        Assert.Equal(ChunkRecord.CreateKey("b", 0), hit.Record.Key);
        Assert.Equal(1.0, hit.Score!.Value, 5);
    }

    [Fact]
    public async Task Searches_with_text_through_a_configured_embedding_generator()
    {
        using var generator = TestEmbeddingGenerator.FromFunction(text => text == "north" ? [1, 0, 0, 0] : [0, 0, 0, 1]);
        using var store = new InMemoryVectorStore(new InMemoryVectorStoreOptions { EmbeddingGenerator = generator });
        var collection = store.GetCollection<Guid, ChunkRecord>("c", ChunkRecord.CreateDefinition(4));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new ChunkRecord { Key = ChunkRecord.CreateKey("n", 0), Embedding = new float[] { 1, 0.1f, 0, 0 } },
            new ChunkRecord { Key = ChunkRecord.CreateKey("s", 0), Embedding = new float[] { 0, 0, 0.1f, 1 } },
        ]);

        var hit = Assert.Single(await ToListAsync(collection.SearchAsync("north", 1)));

        Assert.Equal(ChunkRecord.CreateKey("n", 0), hit.Record.Key);
    }

    [Fact]
    public async Task Supports_int_keys_and_grows_past_its_initial_capacity()
    {
        using var store = new InMemoryVectorStore();
        var collection = store.GetCollection<int, IntKeyRecord>("ints");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Enumerable.Range(0, 100).Select(i => new IntKeyRecord { Id = i, Vector = new float[] { i, 1 } }));
        await collection.DeleteAsync(Enumerable.Range(0, 50));
        await collection.UpsertAsync(Enumerable.Range(200, 10).Select(i => new IntKeyRecord { Id = i, Vector = new float[] { i, 1 } }));

        var hits = await ToListAsync(collection.SearchAsync(new float[] { 1000, 1 }, 3));

        Assert.Equal([209, 208, 207], hits.Select(h => h.Record.Id));
        Assert.Null(await collection.GetAsync(10));
        Assert.NotNull(await collection.GetAsync(99));
    }

    [Fact]
    public async Task Returns_metadata_and_the_atomic_writer_from_GetService()
    {
        using var store = new InMemoryVectorStore();
        var collection = store.GetCollection<Guid, ChunkRecord>("meta");

        Assert.Equal("meta", Assert.IsType<VectorStoreCollectionMetadata>(collection.GetService(typeof(VectorStoreCollectionMetadata))).CollectionName);
        Assert.NotNull(store.GetService(typeof(VectorStoreMetadata)));
        Assert.Same(collection, collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>)));
        Assert.Null(collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>), "keyed"));
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    public sealed class IntKeyRecord
    {
        [VectorStoreKey]
        public int Id { get; set; }

        [VectorStoreVector(2, DistanceFunction = DistanceFunction.DotProductSimilarity)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }
}
