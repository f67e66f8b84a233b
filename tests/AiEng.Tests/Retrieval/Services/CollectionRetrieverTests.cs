using AiEng.Retrieval;
using Microsoft.Extensions.Logging.Testing;

namespace AiEng.Tests.Retrieval.Services;

public sealed class CollectionRetrieverTests
{
    private const int Loaded = 202;
    private const int Updated = 203;

    [Fact]
    public async Task Writes_through_the_collection_are_applied_by_key_without_reading_the_collection_again()
    {
        using var store = new InMemoryVectorStore();
        using var collection = new ChangeTrackingCollection(store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(2)), ownsInner: true);
        var logger = new FakeLogger();
        var retriever = new CollectionRetriever(collection, RetrieverKind.Keyword, embeddingGenerator: null, logger: logger);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([Record("manual", 0, "Press the power button to reset the router."), Record("faq", 0, "Resetting erases the router password.")]);

        Assert.Equal(["faq", "manual"], (await retriever.RetrieveAsync("reset router", 5)).Select(c => c.Chunk.DocumentId).Order(StringComparer.Ordinal));

        // An upsert, a delete and an atomic replacement, all through the wrapper.
        await collection.UpsertAsync(Record("guide", 0, "Router reset, router reset, router reset."));
        await collection.DeleteAsync(ChunkRecord.CreateKey("faq", 0));
        var writer = (IAtomicRecordWriter<Guid, ChunkRecord>)collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>))!;
        await writer.ReplaceAsync([ChunkRecord.CreateKey("manual", 0)], [Record("manual", 1, "The warranty covers the router.")]);

        var chunks = await retriever.RetrieveAsync("reset router", 5);

        // The same ranking and scores as an index built from scratch over what the collection now holds.
        var rebuilt = await new KeywordRetriever(await collection.GetAsync(_ => true, 100).ToListAsync()).RetrieveAsync("reset router", 5);
        Assert.Equal(["guide", "manual"], chunks.Select(c => c.Chunk.DocumentId));
        Assert.Equal(rebuilt.Select(c => (c.Chunk.Key, c.Score)), chunks.Select(c => (c.Chunk.Key, c.Score)));
        var events = logger.Collector.GetSnapshot().Select(r => r.Id.Id).Where(id => id is Loaded or Updated).ToList();
        Assert.Equal([Loaded, Updated], events);
    }

    [Fact]
    public async Task Deleting_the_collection_through_the_wrapper_makes_the_next_retrieval_read_it_whole()
    {
        using var store = new InMemoryVectorStore();
        using var collection = new ChangeTrackingCollection(store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(2)), ownsInner: true);
        var logger = new FakeLogger();
        var retriever = new CollectionRetriever(collection, RetrieverKind.Keyword, embeddingGenerator: null, logger: logger);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Record("manual", 0, "router reset"));
        Assert.Single(await retriever.RetrieveAsync("router", 5));

        await collection.EnsureCollectionDeletedAsync();
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Record("faq", 0, "router password"));

        Assert.Equal(["faq"], (await retriever.RetrieveAsync("router", 5)).Select(c => c.Chunk.DocumentId));
        Assert.Equal([Loaded, Loaded], logger.Collector.GetSnapshot().Select(r => r.Id.Id).Where(id => id is Loaded or Updated));
    }

    [Fact]
    public async Task Changes_that_could_not_be_applied_are_kept_for_the_next_retrieval()
    {
        using var store = new InMemoryVectorStore();
        using var collection = new ChangeTrackingCollection(store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(2)), ownsInner: true);
        var retriever = new CollectionRetriever(collection, RetrieverKind.Keyword, embeddingGenerator: null);
        await collection.EnsureCollectionExistsAsync();
        Assert.Empty(await retriever.RetrieveAsync("router", 5));
        await collection.UpsertAsync(Record("manual", 0, "router reset"));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retriever.RetrieveAsync(new RetrievalRequest("router"), cancelled.Token));

        Assert.Equal(["manual"], (await retriever.RetrieveAsync("router", 5)).Select(c => c.Chunk.DocumentId));
    }

    private static ChunkRecord Record(string documentId, int index, string text) => new()
    {
        Key = ChunkRecord.CreateKey(documentId, index),
        DocumentId = documentId,
        ChunkIndex = index,
        Text = text,
        Embedding = new ReadOnlyMemory<float>([1f, 0f]),
    };
}
