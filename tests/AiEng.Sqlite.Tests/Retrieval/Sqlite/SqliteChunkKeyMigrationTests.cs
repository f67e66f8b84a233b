using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests;

/// <summary>An index written before chunk keys became GUIDs is detected, and the message says how to rebuild it.</summary>
public sealed class SqliteChunkKeyMigrationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task An_index_with_string_chunk_keys_is_rejected_with_how_to_rebuild_it_and_rebuilds_as_told()
    {
        await WriteOldIndexAsync();

        using var store = new SqliteVectorStore(_database.Path);
        var chunks = store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(4));
        var error = await Assert.ThrowsAsync<VectorStoreException>(() => chunks.EnsureCollectionExistsAsync());
        var search = await Assert.ThrowsAsync<VectorStoreException>(async () =>
        {
            await foreach (var _ in chunks.GetAsync(r => r.DocumentId == "a", 1))
            {
            }
        });

        Assert.Contains("earlier version of AiEng", error.Message, StringComparison.Ordinal);
        Assert.Contains("'doc#3'", error.Message, StringComparison.Ordinal);
        Assert.Contains(_database.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("store.EnsureCollectionDeletedAsync(\"chunks\")", error.Message, StringComparison.Ordinal);
        Assert.Contains("ingest the documents again", error.Message, StringComparison.Ordinal);
        Assert.Equal("chunks", error.CollectionName);
        Assert.Equal(error.Message, search.Message);

        // Following the message: delete the collection, and the same name takes GUID-keyed chunks.
        await store.EnsureCollectionDeletedAsync("chunks");
        var rebuilt = store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(4));
        await rebuilt.EnsureCollectionExistsAsync();
        await rebuilt.UpsertAsync(new ChunkRecord { Key = ChunkRecord.CreateKey("a", 0), DocumentId = "a", Text = "new", Embedding = new float[] { 1, 0, 0, 0 } });
        Assert.Equal("new", (await rebuilt.GetAsync(ChunkRecord.CreateKey("a", 0)))!.Text);
    }

    [Fact]
    public async Task Another_record_type_with_string_keys_gets_the_general_key_type_message()
    {
        using (var store = new SqliteVectorStore(_database.Path))
        {
            var old = store.GetCollection<string, OldChunkRecord>("other");
            await old.EnsureCollectionExistsAsync();
        }

        using var reopened = new SqliteVectorStore(_database.Path);
        var error = await Assert.ThrowsAsync<VectorStoreException>(() => reopened.GetCollection<Guid, GuidKeyed>("other").EnsureCollectionExistsAsync());

        Assert.Contains("its keys are String, but the collection is opened with Guid keys", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("earlier version of AiEng", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes collection <c>chunks</c> as AiEng did when <see cref="ChunkRecord"/> had string keys ("a#0").</summary>
    private async Task WriteOldIndexAsync()
    {
        using var store = new SqliteVectorStore(_database.Path);
        var old = store.GetCollection<string, OldChunkRecord>("chunks");
        await old.EnsureCollectionExistsAsync();
        await old.UpsertAsync(new OldChunkRecord { Key = "a#0", DocumentId = "a", Text = "old", Embedding = new float[] { 1, 0, 0, 0 } });
    }

    /// <summary>The columns of <see cref="ChunkRecord"/> as an earlier AiEng wrote them: a string key.</summary>
    public sealed class OldChunkRecord
    {
        [VectorStoreKey]
        public string Key { get; set; } = string.Empty;

        [VectorStoreData(IsIndexed = true)]
        public string DocumentId { get; set; } = string.Empty;

        [VectorStoreData]
        public int ChunkIndex { get; set; }

        [VectorStoreData(IsFullTextIndexed = true)]
        public string Text { get; set; } = string.Empty;

        [VectorStoreData(IsIndexed = true)]
        public string ContentHash { get; set; } = string.Empty;

        [VectorStoreVector(4, DistanceFunction = DistanceFunction.CosineSimilarity)]
        public ReadOnlyMemory<float> Embedding { get; set; }
    }

    /// <summary>A record of another type with GUID keys and the same vector.</summary>
    public sealed class GuidKeyed
    {
        [VectorStoreKey]
        public Guid Key { get; set; }

        [VectorStoreVector(4, DistanceFunction = DistanceFunction.CosineSimilarity)]
        public ReadOnlyMemory<float> Embedding { get; set; }
    }
}
