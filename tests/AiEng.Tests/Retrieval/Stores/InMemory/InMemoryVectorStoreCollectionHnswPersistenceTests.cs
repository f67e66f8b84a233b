using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

public sealed class InMemoryVectorStoreCollectionHnswPersistenceTests
{
    private static readonly InMemoryVectorStoreOptions HnswStore = new() { DefaultIndexKind = IndexKind.Hnsw, Hnsw = new HnswOptions { M = 8, EfConstruction = 32, EfSearch = 16 } };

    [Fact]
    public async Task A_loaded_index_reuses_the_nodes_of_unchanged_records_and_answers_like_the_saved_one()
    {
        var records = Records(300, seed: 1);
        using var first = new InMemoryVectorStore(HnswStore);
        var saved = await FilledAsync(first, records);
        using var second = new InMemoryVectorStore(HnswStore);
        var loaded = await ReloadAsync(saved, second);
        await loaded.UpsertAsync(records);

        var graph = Graph(second);
        Assert.Equal(300, graph.NodeCount);
        Assert.Equal(0, graph.RemovedCount);
        foreach (var query in Records(20, seed: 2))
        {
            Assert.Equal(await KeysAsync(saved, query.Vector), await KeysAsync(loaded, query.Vector));
        }
    }

    [Fact]
    public async Task Changed_records_get_new_nodes_and_records_never_upserted_again_are_not_returned()
    {
        var records = Records(50, seed: 3);
        using var first = new InMemoryVectorStore(HnswStore);
        var saved = await FilledAsync(first, records);
        using var second = new InMemoryVectorStore(HnswStore);
        var loaded = await ReloadAsync(saved, second);
        var moved = records[0];
        moved.Vector = new float[] { 0, 0, 0, 1 };
        await loaded.UpsertAsync(records.Take(40));

        Assert.Equal(51, Graph(second).NodeCount);
        var hits = await KeysAsync(loaded, new float[] { 0, 0, 0, 1 }, 50);
        Assert.Equal(40, hits.Count);
        Assert.Equal(moved.Id, hits[0]);
        Assert.DoesNotContain(records[45].Id, hits);
    }

    [Fact]
    public async Task Loading_needs_an_empty_HNSW_collection()
    {
        using var hnsw = new InMemoryVectorStore(HnswStore);
        var saved = await FilledAsync(hnsw, Records(5, seed: 4));
        using var stream = new MemoryStream();
        await saved.SaveIndexAsync(stream);
        stream.Position = 0;
        using var flat = new InMemoryVectorStore();
        var flatCollection = await FilledAsync(flat, []);

        var full = await Assert.ThrowsAsync<InvalidOperationException>(() => saved.LoadIndexAsync(stream));
        stream.Position = 0;
        var notHnsw = await Assert.ThrowsAsync<InvalidOperationException>(() => flatCollection.LoadIndexAsync(stream));

        Assert.Contains("empty", full.Message, StringComparison.Ordinal);
        Assert.Contains("IndexKind.Hnsw", notHnsw.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidDataException>(() => saved.LoadIndexAsync(new MemoryStream(new byte[64])));
    }

    private static async Task<InMemoryVectorStoreCollection<string, ConformanceRecord>> FilledAsync(InMemoryVectorStore store, List<ConformanceRecord> records)
    {
        var collection = (InMemoryVectorStoreCollection<string, ConformanceRecord>)store.GetCollection<string, ConformanceRecord>("c");
        await collection.EnsureCollectionExistsAsync();
        if (records.Count > 0)
        {
            await collection.UpsertAsync(records);
        }

        return collection;
    }

    // Saves the graph of saved and loads it into a new, empty collection "c" of store.
    private static async Task<InMemoryVectorStoreCollection<string, ConformanceRecord>> ReloadAsync(
        InMemoryVectorStoreCollection<string, ConformanceRecord> saved, InMemoryVectorStore store)
    {
        using var stream = new MemoryStream();
        await saved.SaveIndexAsync(stream);
        stream.Position = 0;
        var loaded = await FilledAsync(store, []);
        await loaded.LoadIndexAsync(stream);
        return loaded;
    }

    private static HnswIndex Graph(InMemoryVectorStore store) =>
        ((HnswVectorIndex)((InMemoryCollectionStorage<string, ConformanceRecord>)store.FindStorage("c")!).Index).Graph;

    private static async Task<List<string>> KeysAsync(VectorStoreCollection<string, ConformanceRecord> collection, ReadOnlyMemory<float> query, int top = 5)
    {
        var keys = new List<string>();
        await foreach (var hit in collection.SearchAsync(query, top))
        {
            keys.Add(hit.Record.Id);
        }

        return keys;
    }

    private static List<ConformanceRecord> Records(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => new ConformanceRecord
        {
            Id = $"r{i:D3}",
            Vector = new float[] { (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble() - 0.9f },
        })];
    }
}
