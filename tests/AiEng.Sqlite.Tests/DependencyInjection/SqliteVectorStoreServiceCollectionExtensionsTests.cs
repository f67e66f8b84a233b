using AiEng.Retrieval;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests;

public sealed class SqliteVectorStoreServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Registers_one_store_as_SqliteVectorStore_and_VectorStore()
    {
        var services = new ServiceCollection().AddSqliteVectorStore(_database.Path, o => o.Durability = SqliteDurability.Full);
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<VectorStore>();

        Assert.Same(provider.GetRequiredService<SqliteVectorStore>(), store);
        Assert.Equal(Path.GetFullPath(_database.Path), ((SqliteVectorStore)store).DataSource);
    }

    [Fact]
    public void Invalid_options_fail_when_added()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddSqliteVectorStore(_database.Path, o => o.BusyTimeout = TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSqliteVectorStore(""));
    }
}
