using System.Runtime.CompilerServices;
using AiEng.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// A persistent, embedded <see cref="VectorStore"/> kept in one SQLite file: one table per collection, vectors as float32
/// BLOBs, exact similarity search with SIMD, write-ahead logging and atomic, crash-safe writes.
/// </summary>
/// <remarks>
/// <para>
/// File layout: the table <c>aieng_collections</c> records each collection's table, key type, vector column, dimensions
/// and distance function; the collection <c>docs</c> lives in the table <c>aieng_c_docs</c> with the key as primary key, one
/// column per data property (string lists as JSON arrays) and the vector as a little-endian float32 BLOB. While the store
/// is open SQLite keeps two companion files, <c>&lt;file&gt;-wal</c> and <c>&lt;file&gt;-shm</c>; copy all three (or none
/// while writing) to back it up.
/// </para>
/// <para>
/// Every write call (a batch upsert, a batch delete, <see cref="IAtomicRecordWriter{TKey, TRecord}.ReplaceAsync"/>) is one
/// transaction. Reads use their own pooled connections and see the last committed transaction, never part of one. A
/// killed process loses nothing that was committed (see <see cref="SqliteDurability"/> for power loss).
/// </para>
/// <para>
/// Search is an exact scan of the collection's vectors (filtered in SQL first) with a bounded top-k heap: right for up to
/// some hundred thousand vectors per collection; beyond that, use an approximate index.
/// </para>
/// </remarks>
public sealed class SqliteVectorStore : VectorStore
{
    private readonly SqliteDatabase _database;
    private readonly VectorStoreMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="SqliteVectorStore"/> class.</summary>
    /// <param name="pathOrConnectionString">
    /// The path of the database file (created when missing), or a Microsoft.Data.Sqlite connection string (recognised by a
    /// <c>Data Source=</c> or <c>Filename=</c> keyword). The file is opened on first use.
    /// </param>
    /// <param name="options">The options; <see langword="null"/> for the defaults. They are read here; later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pathOrConnectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="pathOrConnectionString"/> is empty, not a valid connection string, names an in-memory database or
    /// opens the file read-only.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="PlatformNotSupportedException">The process is big-endian (the file format is little-endian).</exception>
    public SqliteVectorStore(string pathOrConnectionString, SqliteVectorStoreOptions? options = null)
    {
        _ = Throw.IfNullOrWhitespace(pathOrConnectionString);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The SQLite vector store stores vectors as little-endian float32 and needs a little-endian process.");
        }

        // Every value is read here (by the database's connection settings); the store keeps no reference to the options.
        var settings = options ?? new SqliteVectorStoreOptions();
        settings.Validate();
        _database = new SqliteDatabase(ToConnectionString(pathOrConnectionString), settings);
        _metadata = new VectorStoreMetadata { VectorStoreSystemName = SystemName, VectorStoreName = _database.DataSource };
    }

    /// <summary>Gets the path of the database file.</summary>
    public string DataSource => _database.DataSource;

    /// <summary>Gets the name the store reports as <see cref="VectorStoreMetadata.VectorStoreSystemName"/>: <c>"sqlite"</c>.</summary>
    internal static string SystemName => "sqlite";

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="NotSupportedException">The record model is not supported (the message names the type and property).</exception>
    /// <exception cref="InvalidOperationException">The record model has no key or vector, or does not match the definition.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public override VectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        _ = Throw.IfNullOrWhitespace(name);
        _database.ThrowIfDisposed();
        var model = SqliteRecordModel.Build(typeof(TKey), typeof(TRecord), definition);
        return new SqliteVectorStoreCollection<TKey, TRecord>(_database, name, model);
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: the SQLite store maps typed records only.</exception>
    public override VectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition) =>
        throw new NotSupportedException("The SQLite vector store does not support dynamic collections; use GetCollection<TKey, TRecord> with a record type.");

    /// <inheritdoc />
    public override IAsyncEnumerable<string> ListCollectionNamesAsync(CancellationToken cancellationToken = default)
    {
        _database.ThrowIfDisposed();
        return ListAsync(cancellationToken);

        async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var names = await RunAsync(nameof(ListCollectionNamesAsync), () => _database.ReadAsync(static (c, t, ct) => SqliteCollectionInfo.ListNamesAsync(c, t, ct), cancellationToken)).ConfigureAwait(false);
            foreach (var name in names)
            {
                yield return name;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNullOrWhitespace(name);
        _database.ThrowIfDisposed();
        return RunAsync(nameof(CollectionExistsAsync), async () => await _database.ReadAsync(async (c, t, ct) => await SqliteCollectionInfo.FindAsync(c, t, name, ct).ConfigureAwait(false) is not null, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNullOrWhitespace(name);
        _database.ThrowIfDisposed();
        return RunAsync(nameof(EnsureCollectionDeletedAsync), () => _database.WriteAsync((c, t, ct) => SqliteCollectionInfo.DeleteAsync(c, t, name, ct), cancellationToken));
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        _ = Throw.IfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _database.Dispose();
        }

        base.Dispose(disposing);
    }

    private static string ToConnectionString(string pathOrConnectionString)
    {
        var isConnectionString = pathOrConnectionString.Contains("Data Source=", StringComparison.OrdinalIgnoreCase)
            || pathOrConnectionString.Contains("DataSource=", StringComparison.OrdinalIgnoreCase)
            || pathOrConnectionString.Contains("Filename=", StringComparison.OrdinalIgnoreCase);
        if (isConnectionString)
        {
            return pathOrConnectionString;
        }

        return new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(pathOrConnectionString) }.ToString();
    }

    private async Task<T> RunAsync<T>(string operation, Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new VectorStoreException($"SQLite failed during {operation} on '{_database.DataSource}': {ex.Message}", ex)
            {
                VectorStoreSystemName = SystemName,
                VectorStoreName = _database.DataSource,
                OperationName = operation,
            };
        }
    }
}
