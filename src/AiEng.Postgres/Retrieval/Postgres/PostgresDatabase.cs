using AiEng.Shared;
using Npgsql;

namespace AiEng.Retrieval;

/// <summary>
/// The database behind a <see cref="PostgresVectorStore"/>: its data source, its schema and options, and the transaction
/// every operation runs in. Creates the <c>vector</c> extension, the schema and the catalog table once, on first use.
/// </summary>
/// <remarks>
/// Every operation takes one pooled connection for one transaction and gives it back before results are yielded, so an
/// operation never holds two connections (a pool of one connection serialises operations instead of deadlocking them).
/// </remarks>
internal sealed class PostgresDatabase : IDisposable
{
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly bool _ownsDataSource;
    private volatile bool _initialized;
    private Version? _vectorVersion;
    private volatile bool _disposed;

    public PostgresDatabase(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresVectorStoreOptions options)
    {
        DataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        Options = options;
        Schema = PostgresSql.Quote(options.Schema);
        Catalog = $"{Schema}.{PostgresSql.Quote(PostgresSql.CatalogTable)}";
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Name = $"{builder.Host}:{builder.Port}/{builder.Database}/{options.Schema}";
    }

    /// <summary>Gets the data source.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Gets the options (a private copy).</summary>
    public PostgresVectorStoreOptions Options { get; }

    /// <summary>
    /// Gets a value indicating whether the server's pgvector has iterative index scans (0.8 and later), read when the
    /// database was first used; <see langword="false"/> before that.
    /// </summary>
    public bool HasIterativeScans => _vectorVersion is { } version && version >= new Version(0, 8);

    /// <summary>Gets the quoted schema name.</summary>
    public string Schema { get; }

    /// <summary>Gets the quoted, schema-qualified catalog table.</summary>
    public string Catalog { get; }

    /// <summary>Gets the name errors and metadata report: host, port, database and schema (never the password).</summary>
    public string Name { get; }

    /// <summary>Throws <see cref="ObjectDisposedException"/> when the store was disposed.</summary>
    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, typeof(PostgresVectorStore));

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction on one connection and commits it; it rolls back when
    /// <paramref name="work"/> throws or the token is cancelled before the commit.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>Creates a command in <paramref name="transaction"/>.</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql) => new(sql, connection, transaction);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsDataSource)
        {
            DataSource.Dispose();
        }

        _initGate.Dispose();
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (var check = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector'), EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", connection))
            {
                check.Parameters.AddWithValue("schema", Options.Schema);
                await using var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var (hasExtension, hasSchema) = (reader.GetBoolean(0), reader.GetBoolean(1));
                await reader.DisposeAsync().ConfigureAwait(false);
                if (!hasExtension)
                {
                    await Execute(connection, "CREATE EXTENSION IF NOT EXISTS vector", cancellationToken).ConfigureAwait(false);

                    // The data source learnt the server's types before the extension existed: teach it vector and halfvec.
                    await connection.ReloadTypesAsync(cancellationToken).ConfigureAwait(false);
                }

                if (!hasSchema)
                {
                    await Execute(connection, $"CREATE SCHEMA IF NOT EXISTS {Schema}", cancellationToken).ConfigureAwait(false);
                }
            }

            await using (var version = new NpgsqlCommand("SELECT extversion FROM pg_extension WHERE extname = 'vector'", connection))
            {
                // "0.8.0", or a packager's "0.8.0-1": the numeric part decides.
                string? text = await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
                _vectorVersion = Version.TryParse(new string((text ?? string.Empty).TakeWhile(static c => char.IsDigit(c) || c == '.').ToArray()), out var parsed) ? parsed : null;
            }

            await Execute(
                connection,
                $"CREATE TABLE IF NOT EXISTS {Catalog} (name text NOT NULL PRIMARY KEY, table_name text NOT NULL, key_type text NOT NULL, vector_column text NOT NULL, vector_type text NOT NULL, dimensions integer NOT NULL, distance_function text NOT NULL, index_kind text NOT NULL, created timestamp with time zone NOT NULL DEFAULT now())",
                cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initGate.Release();
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        _ = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
