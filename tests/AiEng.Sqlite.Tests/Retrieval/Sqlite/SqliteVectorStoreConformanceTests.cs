using System.Linq.Expressions;
using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests;

/// <summary>The store conformance suite over the SQLite store, one temporary database file per store.</summary>
public sealed class SqliteVectorStoreConformanceTests : VectorStoreConformanceTests, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    /// <summary>The SQLite store translates filters to SQL and has no substring search.</summary>
    protected override Expression<Func<ConformanceRecord, bool>>? UnsupportedFilter =>
        r => r.Category!.StartsWith("c", StringComparison.Ordinal);

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }

    protected override VectorStore CreateStore()
    {
        var database = new TempDatabase();
        _databases.Add(database);
        return new SqliteVectorStore(database.Path);
    }

    protected override Task<VectorStore?> ReopenAsync(VectorStore store)
    {
        var path = ((SqliteVectorStore)store).DataSource;
        store.Dispose();
        return Task.FromResult<VectorStore?>(new SqliteVectorStore(path));
    }
}
