using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests.Retrieval;

/// <summary>Tenant filters through every retriever over the SQLite store (the filters run in SQL).</summary>
public sealed class SqliteAccessControlConformanceTests : AccessControlConformanceTests, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override VectorStore CreateStore() => new SqliteVectorStore(_database.Path);
}
