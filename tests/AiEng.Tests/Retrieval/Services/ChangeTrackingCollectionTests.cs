using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.Tests.Retrieval.Services;

public sealed class ChangeTrackingCollectionTests
{
    [Fact]
    public async Task Every_write_moves_the_version_and_reads_do_not()
    {
        using var store = new InMemoryVectorStore();
        using var collection = new ChangeTrackingCollection(store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(2)), ownsInner: true);
        await collection.EnsureCollectionExistsAsync();
        long start = collection.Version;

        await collection.UpsertAsync(Record("a"));
        long afterUpsert = collection.Version;
        _ = await collection.GetAsync(ChunkRecord.CreateKey("a", 0));
        await collection.SearchAsync(new ReadOnlyMemory<float>([1f, 0f]), 1).ToListAsync();
        long afterReads = collection.Version;
        await collection.DeleteAsync(ChunkRecord.CreateKey("a", 0));
        long afterDelete = collection.Version;
        var writer = Assert.IsAssignableFrom<IAtomicRecordWriter<Guid, ChunkRecord>>(collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>)));
        await writer.ReplaceAsync([], [Record("b")]);

        Assert.True(afterUpsert > start);
        Assert.Equal(afterUpsert, afterReads);
        Assert.True(afterDelete > afterReads);
        Assert.True(collection.Version > afterDelete);
        Assert.Equal("b", Assert.Single(await collection.GetAsync(_ => true, 10).ToListAsync()).DocumentId);
    }

    [Fact]
    public async Task Wraps_a_collection_once_and_disposes_only_one_it_owns()
    {
        using var store = new InMemoryVectorStore();
        var inner = store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(2));
        var tracking = ChangeTrackingCollection.Of(inner);

        Assert.Same(tracking, ChangeTrackingCollection.Of(tracking));
        Assert.Equal("chunks", tracking.Name);
        Assert.Same(inner, tracking.GetService(typeof(InMemoryVectorStoreCollection<Guid, ChunkRecord>)));

        tracking.Dispose();
        Assert.False(await inner.CollectionExistsAsync());

        var owning = new ChangeTrackingCollection(inner, ownsInner: true);
        owning.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => inner.CollectionExistsAsync());
    }

    private static ChunkRecord Record(string documentId) => new()
    {
        Key = ChunkRecord.CreateKey(documentId, 0),
        DocumentId = documentId,
        Text = "text of " + documentId,
        Embedding = new ReadOnlyMemory<float>([1f, 0f]),
    };
}
