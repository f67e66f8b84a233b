using AiEng.Retrieval;
using AiEng.Tokens;
using AiEng.Testing;
using Microsoft.Extensions.VectorData;

namespace AiEng.VectorData.ConformanceTests;

/// <summary>
/// Runs <see cref="DocumentIngestor"/> and <see cref="VectorStoreRetriever"/> end to end over a real store: incremental
/// sync (unchanged skipped without embedding, changed replaced, removed deleted), then dense retrieval of what is stored.
/// Each store's test project derives from it, as it does from <see cref="VectorStoreConformanceTests"/>.
/// </summary>
public abstract class IngestionConformanceTests
{
    private const int Dimensions = 64;

    /// <summary>Creates a new, empty store.</summary>
    protected abstract VectorStore CreateStore();

    /// <summary>
    /// Gets the collection of chunks <paramref name="name"/> of <paramref name="store"/>; by default of
    /// <see cref="ChunkRecord"/>s. Override it to run the suite over a record type of your own through a
    /// <see cref="ChunkRecordMapper{TRecord}"/>.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="dimensions">The embedding size.</param>
    /// <returns>The collection.</returns>
    protected virtual VectorStoreCollection<Guid, ChunkRecord> GetChunkCollection(VectorStore store, string name, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.GetCollection<Guid, ChunkRecord>(name, ChunkRecord.CreateDefinition(dimensions));
    }

    /// <summary>Closes <paramref name="store"/> and opens its data again, or returns <see langword="null"/> when the store does not persist.</summary>
    protected virtual Task<VectorStore?> ReopenAsync(VectorStore store) => Task.FromResult<VectorStore?>(null);

    /// <summary>Syncs added unchanged changed and removed documents and retrieves them.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Syncs_added_unchanged_changed_and_removed_documents_and_retrieves_them()
    {
        var store = CreateStore();
        var generator = TestEmbeddingGenerator.FromFunction(text => TestVectors.HashedBagOfWords(text, Dimensions));
        var collection = GetChunkCollection(store, "docs", Dimensions);
        await collection.EnsureCollectionExistsAsync();
        var chunker = new RecursiveTextChunker(TiktokenTokenCounter.O200kBase, new ChunkerOptions { ChunkSize = 12, ChunkOverlap = 0 });
        var ingestor = new DocumentIngestor(collection, generator, chunker);
        var sync = new IngestionOptions { DeleteMissing = true };

        var first = await ingestor.IngestAsync(Documents(Alpha, Beta, Gamma), sync);
        Assert.Equal((3, 0, 0, 0), (first.Added, first.Updated, first.Unchanged, first.Deleted));
        int callsAfterFirst = generator.CallCount;

        var again = await ingestor.IngestAsync(Documents(Alpha, Beta, Gamma), sync);
        Assert.Equal((0, 0, 3, 0), (again.Added, again.Updated, again.Unchanged, again.Deleted));
        Assert.Equal(callsAfterFirst, generator.CallCount);

        var changed = new Document("beta", "Glaciers carve fjords into the coast. Meltwater feeds the rivers below.") { Title = "Beta" };
        var third = await ingestor.IngestAsync(Documents(Alpha, changed), sync);
        Assert.Equal((0, 1, 1, 1), (third.Added, third.Updated, third.Unchanged, third.Deleted));

        var reopened = await ReopenAsync(store);
        if (reopened is not null)
        {
            store = reopened;
            collection = GetChunkCollection(store, "docs", Dimensions);
        }

        var stored = await ToListAsync(collection.GetAsync(r => r.DocumentId != "", 1000));
        Assert.Equal(["alpha", "beta"], stored.Select(r => r.DocumentId).Distinct().Order());
        Assert.All(stored.Where(r => r.DocumentId == "beta"), r => Assert.Equal(changed.ContentHash, r.ContentHash));
        Assert.DoesNotContain(stored, r => r.Text.Contains("Volcanoes", StringComparison.Ordinal));
        Assert.Equal(
            Enumerable.Range(0, stored.Count(r => r.DocumentId == "beta")),
            stored.Where(r => r.DocumentId == "beta").Select(r => r.ChunkIndex).Order());

        var retriever = new VectorStoreRetriever(collection, generator);
        var hits = await retriever.RetrieveAsync("glaciers carve fjords", 1);
        Assert.Equal("beta", Assert.Single(hits).Chunk.DocumentId);
        store.Dispose();
    }

    private static readonly Document Alpha = new("alpha", "Tides rise twice a day. The moon pulls the oceans toward it.") { Title = "Alpha" };
    private static readonly Document Beta = new("beta", "Volcanoes erupt molten rock. Ash clouds can ground aircraft for days.") { Title = "Beta" };
    private static readonly Document Gamma = new("gamma", "Bees dance to point their hive to flowers. The angle gives the direction.") { Title = "Gamma" };

    private static async IAsyncEnumerable<Document> Documents(params Document[] documents)
    {
        foreach (var document in documents)
        {
            await Task.Yield();
            yield return document;
        }
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
}
