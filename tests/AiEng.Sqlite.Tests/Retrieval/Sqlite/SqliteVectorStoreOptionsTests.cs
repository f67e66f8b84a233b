using AiEng.Retrieval;

namespace AiEng.Sqlite.Tests;

public sealed class SqliteVectorStoreOptionsTests
{
    [Fact]
    public void Defaults_are_documented_values()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), new SqliteVectorStoreOptions().BusyTimeout);
        Assert.Equal(SqliteDurability.Normal, new SqliteVectorStoreOptions().Durability);
    }
}
