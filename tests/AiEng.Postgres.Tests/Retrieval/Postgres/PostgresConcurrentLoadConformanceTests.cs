using AiEng.Postgres.Tests.TestSupport;
using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Postgres.Tests.Retrieval.Postgres;

/// <summary>Readers and a writer at once on the PostgreSQL store (PGlite with pgvector; the pool's connections shared by the readers and the writer).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConcurrentLoadConformanceTests(PostgresServer server) : ConcurrentLoadConformanceTests, IAsyncLifetime
{
    private readonly PostgresStores _stores = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    protected override VectorStore CreateStore() => _stores.Create();
}
