using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AiEng.Retrieval;

/// <summary>
/// The SQLite file behind a <see cref="SqliteVectorStore"/>: opens pooled connections with the store's pragmas, creates
/// the metadata table once, and serializes this process's writes.
/// </summary>
/// <remarks>
/// Every operation takes its own connection from Microsoft.Data.Sqlite's pool. With write-ahead logging a reader works on
/// a snapshot of the last committed transaction and never waits for a writer; writers take SQLite's single write lock with
/// <c>BEGIN IMMEDIATE</c> (waiting up to the busy timeout for other processes) after the in-process write gate, so writes of
/// this process never fail with "database is locked" among themselves.
/// </remarks>
internal sealed class SqliteDatabase : IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly string _pragmas;
    private volatile bool _initialized;
    private volatile bool _disposed;

    public SqliteDatabase(string connectionString, SqliteVectorStoreOptions options)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ArgumentException($"The SQLite vector store needs a database file, not '{builder.DataSource}' (in-memory SQLite databases are not supported; use an in-memory vector store instead).", nameof(connectionString));
        }

        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            throw new ArgumentException("The SQLite vector store needs to write: Mode=ReadOnly is not supported.", nameof(connectionString));
        }

        builder.Pooling = true;
        builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        ConnectionString = builder.ToString();
        DataSource = builder.DataSource;
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout={(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous={(options.Durability == SqliteDurability.Full ? "FULL" : "NORMAL")}; PRAGMA foreign_keys=OFF;");
    }

    /// <summary>Gets the connection string (pooling on).</summary>
    public string ConnectionString { get; }

    /// <summary>Gets the database file path.</summary>
    public string DataSource { get; }

    /// <summary>Gets a value indicating whether the store was disposed.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Throws <see cref="ObjectDisposedException"/> when the store was disposed.</summary>
    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteVectorStore));

    /// <summary>Runs <paramref name="work"/> in a read transaction: one consistent snapshot of the file.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Microsoft.Data.Sqlite has no asynchronous BeginTransaction with a deferred flag (its async methods run synchronously anyway).
        await using var transaction = connection.BeginTransaction(deferred: true);
        var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction and commits it; it rolls back when <paramref name="work"/> throws
    /// or the token is cancelled before the commit.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

            // BEGIN IMMEDIATE: take the write lock up front, so the transaction never has to upgrade from a read snapshot.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Releases the pooled connections, so the file is closed (and its write-ahead log checkpointed).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = _pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!_initialized)
            {
                await InitializeAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task InitializeAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            await using var command = connection.CreateCommand();

            // The journal mode is stored in the file: set once, it holds for every later connection and process.
            command.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The SQLite file '{DataSource}' could not be switched to write-ahead logging (journal mode is '{mode}'). Is it on a network file system?");
            }

            command.CommandText = $"""
                CREATE TABLE IF NOT EXISTS {SqliteSql.MetadataTable} (
                    name TEXT NOT NULL PRIMARY KEY,
                    table_name TEXT NOT NULL,
                    key_type TEXT NOT NULL,
                    vector_column TEXT NOT NULL,
                    dimensions INTEGER NOT NULL,
                    distance_function TEXT NOT NULL,
                    created_utc TEXT NOT NULL
                ) STRICT;
                """;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initGate.Release();
        }
    }
}
