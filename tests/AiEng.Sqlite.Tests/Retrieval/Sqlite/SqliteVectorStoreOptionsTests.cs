using AiEng.Retrieval;

namespace AiEng.Sqlite.Tests;

public sealed class SqliteVectorStoreOptionsTests
{
    [Fact]
    public void Defaults_are_documented_values_and_Clone_copies_them()
    {
        var options = new SqliteVectorStoreOptions { BusyTimeout = TimeSpan.FromSeconds(9), Durability = SqliteDurability.Full };

        var clone = options.Clone();
        options.BusyTimeout = TimeSpan.FromSeconds(1);

        Assert.Equal(TimeSpan.FromSeconds(5), new SqliteVectorStoreOptions().BusyTimeout);
        Assert.Equal(SqliteDurability.Normal, new SqliteVectorStoreOptions().Durability);
        Assert.Equal(TimeSpan.FromSeconds(9), clone.BusyTimeout);
        Assert.Equal(SqliteDurability.Full, clone.Durability);
    }
}
