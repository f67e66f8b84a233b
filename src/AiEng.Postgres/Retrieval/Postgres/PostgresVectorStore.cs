using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using AiEng.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiEng.Retrieval;

/// <summary>
/// A <see cref="VectorStore"/> in PostgreSQL with the pgvector extension: one table per collection in the configured
/// schema, with a <c>vector</c> or <c>halfvec</c> column, an optional HNSW or IVFFlat index, and a generated <c>tsvector</c>
/// column for full-text search. Several application instances can share it.
/// </summary>
/// <remarks>
/// <para>
/// Layout: the table <c>aieng_collections</c> in the schema records each collection's table, key type, vector column,
/// vector type, dimensions, distance function and index kind; the collection <c>docs</c> is the table <c>docs</c> with the
/// key as primary key and one column per data property (string lists as <c>text[]</c>, <c>DateTimeOffset</c> as
/// <c>timestamptz</c>, read back in UTC). The <c>vector</c> extension and the schema are created on first use when missing.
/// </para>
/// <para>
/// Every call is one transaction; see <see cref="PostgresVectorStoreCollection{TKey, TRecord}"/>.
/// </para>
/// </remarks>
public sealed class PostgresVectorStore : VectorStore
{
    private readonly PostgresDatabase _database;
    private readonly VectorStoreMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="PostgresVectorStore"/> class over a connection string; the store owns the data source it builds (with pgvector's type mapping).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults. They are copied; later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string, or an option is not a valid name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The overloads take different first arguments (a connection string or a data source), as SqliteVectorStore's and MEVD connectors' do.")]
    public PostgresVectorStore(string connectionString, PostgresVectorStoreOptions? options = null)
        : this(Build(connectionString), ownsDataSource: true, options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostgresVectorStore"/> class over a data source the caller owns.</summary>
    /// <param name="dataSource">The data source; it must map pgvector's types (<c>NpgsqlDataSourceBuilder.UseVector()</c>).</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults. They are copied; later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is not a valid name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public PostgresVectorStore(NpgsqlDataSource dataSource, PostgresVectorStoreOptions? options)
        : this(Throw.IfNull(dataSource), ownsDataSource: false, options)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostgresVectorStore"/> class that disposes <paramref name="dataSource"/> when <paramref name="ownsDataSource"/> is set.</summary>
    internal PostgresVectorStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresVectorStoreOptions? options)
    {
        var settings = options?.Clone() ?? new PostgresVectorStoreOptions();
        try
        {
            settings.Validate();
        }
        catch when (ownsDataSource)
        {
            dataSource.Dispose();
            throw;
        }

        _database = new PostgresDatabase(dataSource, ownsDataSource, settings);
        _metadata = new VectorStoreMetadata { VectorStoreSystemName = SystemName, VectorStoreName = _database.Name };
    }

    /// <summary>Gets the name the store reports as <see cref="VectorStoreMetadata.VectorStoreSystemName"/>: <c>"postgresql"</c>.</summary>
    internal static string SystemName => "postgresql";

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty, white space or longer than 63 bytes.</exception>
    /// <exception cref="NotSupportedException">The record model is not supported (the message names the type and property).</exception>
    /// <exception cref="InvalidOperationException">The record model has no key or vector, or does not match the definition.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public override VectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        _ = PostgresSql.CheckIdentifier(Throw.IfNullOrWhitespace(name), "collection name", nameof(name));
        _database.ThrowIfDisposed();
        var model = PostgresRecordModel.Build(typeof(TKey), typeof(TRecord), definition, _database.Options);
        return new PostgresVectorStoreCollection<TKey, TRecord>(_database, name, model);
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: the PostgreSQL store maps typed records only.</exception>
    public override VectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition) =>
        throw new NotSupportedException("The PostgreSQL vector store does not support dynamic collections; use GetCollection<TKey, TRecord> with a record type.");

    /// <inheritdoc />
    public override IAsyncEnumerable<string> ListCollectionNamesAsync(CancellationToken cancellationToken = default)
    {
        _database.ThrowIfDisposed();
        return ListAsync(cancellationToken);

        async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var names = await RunAsync(nameof(ListCollectionNamesAsync), (c, t, ct) => PostgresCollectionSchema.ListAsync(_database, c, t, ct), cancellationToken).ConfigureAwait(false);
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
        return RunAsync(nameof(CollectionExistsAsync), async (c, t, ct) => (await PostgresCollectionSchema.ListAsync(_database, c, t, ct).ConfigureAwait(false)).Contains(name), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        _ = PostgresSql.CheckIdentifier(Throw.IfNullOrWhitespace(name), "collection name", nameof(name));
        _database.ThrowIfDisposed();
        return RunAsync(
            nameof(EnsureCollectionDeletedAsync),
            async (c, t, ct) =>
            {
                await PostgresCollectionSchema.DeleteAsync(_database, c, t, name, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        _ = Throw.IfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreMetadata) ? _metadata
            : serviceType == typeof(NpgsqlDataSource) ? _database.DataSource
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

    /// <summary>Builds a data source over <paramref name="connectionString"/> with pgvector's type mapping, logging to <paramref name="loggerFactory"/> when given.</summary>
    internal static NpgsqlDataSource Build(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        _ = Throw.IfNullOrWhitespace(connectionString);
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // Npgsql's message names the keyword, never the value; the connection string itself may hold a password.
            throw new ArgumentException($"The PostgreSQL connection string is not valid: {ex.Message}", nameof(connectionString));
        }

        builder.UseVector();
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        return builder.Build();
    }

    private async Task<T> RunAsync<T>(string operation, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await _database.RunAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw new VectorStoreException($"PostgreSQL failed during {operation} on {_database.Name}: {ex.Message}", ex)
            {
                VectorStoreSystemName = SystemName,
                VectorStoreName = _database.Name,
                OperationName = operation,
            };
        }
    }
}
