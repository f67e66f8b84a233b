using AiEng.Postgres.Tests.TestSupport;
using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiEng.Postgres.Tests.Retrieval.Postgres;

/// <summary>Tenant filters through every retriever over the PostgreSQL store (the filters run in SQL, keyword search in PostgreSQL full-text search), holding the application's own record type (<see cref="TenantChunk"/>).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMappedAccessControlConformanceTests(PostgresServer server) : AccessControlConformanceTests, IAsyncLifetime
{
    private readonly PostgresStores _stores = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    protected override VectorStore CreateStore() => _stores.Create();

    protected override VectorStoreCollection<Guid, ChunkRecord> GetChunkCollection(VectorStore store, string name, int dimensions)
    {
        var mapper = new TenantChunkMapper();
        return mapper.MapCollection(store.GetCollection<Guid, TenantChunk>(name, mapper.CreateDefinition(dimensions)));
    }

    protected override AiEngBuilder AddRetrieval(AiEngBuilder builder) => builder.AddRetrieval(new TenantChunkMapper());
}
