using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests.Retrieval;

/// <summary>Tenant filters through every retriever over the SQLite store holding the application's own record type (<see cref="TenantChunk"/>): the filters run in SQL on its typed columns.</summary>
public sealed class SqliteMappedAccessControlConformanceTests : AccessControlConformanceTests, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override VectorStore CreateStore() => new SqliteVectorStore(_database.Path);

    protected override VectorStoreCollection<Guid, ChunkRecord> GetChunkCollection(VectorStore store, string name, int dimensions)
    {
        var mapper = new TenantChunkMapper();
        return mapper.MapCollection(store.GetCollection<Guid, TenantChunk>(name, mapper.CreateDefinition(dimensions)));
    }

    protected override AiEngBuilder AddRetrieval(AiEngBuilder builder) => builder.AddRetrieval(new TenantChunkMapper());
}
