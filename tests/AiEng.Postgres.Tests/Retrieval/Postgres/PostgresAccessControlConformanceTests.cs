using AiEng.Postgres.Tests.TestSupport;
using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiEng.Postgres.Tests.Retrieval.Postgres;

/// <summary>Tenant filters through every retriever over the PostgreSQL store (the filters run in SQL, keyword search in PostgreSQL full-text search).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAccessControlConformanceTests(PostgresServer server) : AccessControlConformanceTests, IAsyncLifetime
{
    private readonly PostgresStores _stores = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    protected override VectorStore CreateStore() => _stores.Create();
}
