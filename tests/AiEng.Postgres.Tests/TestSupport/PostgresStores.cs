using AiEng.Retrieval;
using Npgsql;

namespace AiEng.Postgres.Tests.TestSupport;

/// <summary>
/// Creates <see cref="PostgresVectorStore"/>s for one test, each in a schema of its own (so every store starts empty and
/// tests never see each other's tables), and drops those schemas when disposed.
/// </summary>
/// <remarks>
/// Against PGlite every store's pool holds one connection: PGlite runs all connections in one backend session, so two
/// transactions on two connections would interleave in it; with one connection Npgsql queues them instead.
/// </remarks>
public sealed class PostgresStores(PostgresServer server) : IAsyncDisposable
{
    private readonly List<PostgresVectorStore> _stores = [];
    private readonly Dictionary<PostgresVectorStore, (string Schema, Action<PostgresVectorStoreOptions>? Configure)> _schemas = [];
    private readonly HashSet<string> _allSchemas = [];

    /// <summary>Gets the connection string stores are opened with (one pooled connection against PGlite).</summary>
    public string ConnectionString => server.IsPglite
        ? new NpgsqlConnectionStringBuilder(server.ConnectionString) { MaxPoolSize = 1 }.ConnectionString
        : server.ConnectionString;

    /// <summary>Creates a store in a new, empty schema.</summary>
    public PostgresVectorStore Create(Action<PostgresVectorStoreOptions>? configure = null) => Open($"aieng_t_{Guid.NewGuid():N}"[..30], configure);

    /// <summary>Disposes <paramref name="store"/> and opens its schema again with the same options.</summary>
    public PostgresVectorStore Reopen(PostgresVectorStore store)
    {
        var (schema, configure) = _schemas[store];
        store.Dispose();
        return Open(schema, configure);
    }

    /// <summary>Opens a store on <paramref name="schema"/>.</summary>
    public PostgresVectorStore Open(string schema, Action<PostgresVectorStoreOptions>? configure = null)
    {
        var options = new PostgresVectorStoreOptions { Schema = schema };
        configure?.Invoke(options);
        var store = new PostgresVectorStore(ConnectionString, options);
        _stores.Add(store);
        _schemas[store] = (schema, configure);
        _allSchemas.Add(schema);
        return store;
    }

    /// <summary>Runs <paramref name="sql"/> on its own connection (for tests that change a table behind the store's back).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var source = NpgsqlDataSource.Create(ConnectionString);
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs <paramref name="sql"/> on its own connection and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var source = NpgsqlDataSource.Create(ConnectionString);
        await using var command = source.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        foreach (var schema in _allSchemas)
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        }
    }
}
