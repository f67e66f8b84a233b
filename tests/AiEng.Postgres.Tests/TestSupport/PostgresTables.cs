using Npgsql;

namespace AiEng.Postgres.Tests.TestSupport;

/// <summary>Data sources and throw-away table names for tests that let a component create its own table.</summary>
internal static class PostgresTables
{
    /// <summary>Opens a data source on the test server with at most <paramref name="maxPoolSize"/> connections (PGlite accepts only a few at once).</summary>
    public static NpgsqlDataSource CreateDataSource(PostgresServer server, int maxPoolSize)
    {
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { MaxPoolSize = maxPoolSize };
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>Gets a table name no other test uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    /// <summary>Drops a table that a test's component created (quoted, in the public schema).</summary>
    public static async Task DropAsync(NpgsqlDataSource source, string table)
    {
        await using var command = source.CreateCommand($"DROP TABLE IF EXISTS \"public\".\"{table}\"");
        await command.ExecuteNonQueryAsync();
    }
}
