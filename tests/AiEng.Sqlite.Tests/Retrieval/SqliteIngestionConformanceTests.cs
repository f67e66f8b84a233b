using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests.Retrieval;

/// <summary>Ingestion and retrieval end to end over the SQLite store, checked again after reopening the file.</summary>
public sealed class SqliteIngestionConformanceTests : IngestionConformanceTests, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override VectorStore CreateStore() => new SqliteVectorStore(_database.Path);

    protected override Task<VectorStore?> ReopenAsync(VectorStore store)
    {
        store.Dispose();
        return Task.FromResult<VectorStore?>(new SqliteVectorStore(_database.Path));
    }
}
