using AiEng.Postgres.Tests.TestSupport;
using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiEng.Postgres.Tests.Retrieval.Postgres;

/// <summary>Ingestion end to end over the PostgreSQL store, checked again after reopening it, holding the application's own record type (<see cref="TenantChunk"/>).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMappedIngestionConformanceTests(PostgresServer server) : IngestionConformanceTests, IAsyncLifetime
{
    private readonly PostgresStores _stores = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    protected override VectorStore CreateStore() => _stores.Create();

    protected override Task<VectorStore?> ReopenAsync(VectorStore store) =>
        Task.FromResult<VectorStore?>(_stores.Reopen((PostgresVectorStore)store));

    protected override VectorStoreCollection<Guid, ChunkRecord> GetChunkCollection(VectorStore store, string name, int dimensions)
    {
        var mapper = new TenantChunkMapper();
        return mapper.MapCollection(store.GetCollection<Guid, TenantChunk>(name, mapper.CreateDefinition(dimensions)));
    }
}
