using System.Linq.Expressions;
using AiEng.Postgres.Tests.TestSupport;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Postgres.Tests.Retrieval.Postgres;

/// <summary>The shared store conformance suite over <see cref="AiEng.Retrieval.PostgresVectorStore"/>, each test in a schema of its own.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresVectorStoreConformanceTests(PostgresServer server) : VectorStoreConformanceTests, IAsyncLifetime
{
    private readonly PostgresStores _stores = new(server);

    /// <inheritdoc />
    protected override Expression<Func<ConformanceRecord, bool>>? UnsupportedFilter => r => r.Category!.StartsWith('c');

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    protected override VectorStore CreateStore() => _stores.Create();

    protected override Task<VectorStore?> ReopenAsync(VectorStore store) =>
        Task.FromResult<VectorStore?>(_stores.Reopen((AiEng.Retrieval.PostgresVectorStore)store));
}
