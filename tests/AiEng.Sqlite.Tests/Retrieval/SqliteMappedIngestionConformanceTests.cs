using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests.Retrieval;

/// <summary>Ingestion end to end over the SQLite store holding the application's own record type (<see cref="TenantChunk"/>), checked again after reopening the file.</summary>
public sealed class SqliteMappedIngestionConformanceTests : IngestionConformanceTests, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override VectorStore CreateStore() => new SqliteVectorStore(_database.Path);

    protected override Task<VectorStore?> ReopenAsync(VectorStore store)
    {
        store.Dispose();
        return Task.FromResult<VectorStore?>(new SqliteVectorStore(_database.Path));
    }

    protected override VectorStoreCollection<Guid, ChunkRecord> GetChunkCollection(VectorStore store, string name, int dimensions)
    {
        var mapper = new TenantChunkMapper();
        return mapper.MapCollection(store.GetCollection<Guid, TenantChunk>(name, mapper.CreateDefinition(dimensions)));
    }
}
