using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests.Retrieval;

/// <summary>Readers and a writer at once on the SQLite store (one file, the readers on their own connections).</summary>
public sealed class SqliteConcurrentLoadConformanceTests : ConcurrentLoadConformanceTests, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override VectorStore CreateStore() => new SqliteVectorStore(_database.Path);
}
