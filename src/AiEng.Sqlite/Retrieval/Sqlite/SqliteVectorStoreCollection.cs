using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using AiEng.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>A collection of a <see cref="SqliteVectorStore"/>: one table of records with a float32 vector each.</summary>
/// <typeparam name="TKey">The key type: <see cref="string"/>, <see cref="Guid"/>, <see cref="int"/> or <see cref="long"/>.</typeparam>
/// <typeparam name="TRecord">The record type.</typeparam>
/// <remarks>
/// <para>
/// Every write call is one transaction: a batch upsert or delete is applied completely or not at all, and
/// <c>GetService(typeof(IAtomicRecordWriter&lt;TKey, TRecord&gt;))</c> returns a writer whose <c>ReplaceAsync</c> deletes and
/// upserts in one transaction. Reads (get, search) each run in one read transaction on their own connection, so they see
/// the state after some committed transaction, never part of one, and never wait for a writer.
/// </para>
/// <para>
/// Search is exact: the filter runs in SQL, then every remaining vector is scored with SIMD and the best
/// <c>skip + top</c> are kept in a bounded heap; ties are broken by key order.
/// </para>
/// </remarks>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads are overrides of VectorStoreCollection's.")]
public sealed class SqliteVectorStoreCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>, IKeywordSearchable<TRecord>
    where TKey : notnull
    where TRecord : class
{
    private const int InListChunk = 500;

    private readonly SqliteDatabase _database;
    private readonly SqliteRecordModel _model;
    private readonly IComparer<TKey> _keyComparer;
    private readonly VectorStoreCollectionMetadata _metadata;
    private readonly IAtomicRecordWriter<TKey, TRecord> _writer;
    private readonly string _tableName;
    private readonly string _table;
    private readonly string _columns;
    private readonly string _columnsWithVector;
    private readonly SqliteKeywordIndex? _keyword;
    private volatile bool _verified;
    private volatile bool _keywordReady;
    private volatile bool _disposed;

    internal SqliteVectorStoreCollection(SqliteDatabase database, string name, SqliteRecordModel model)
    {
        _database = database;
        _model = model;
        Name = name;
        _keyComparer = typeof(TKey) == typeof(string) ? (IComparer<TKey>)(object)StringComparer.Ordinal : Comparer<TKey>.Default;
        _metadata = new VectorStoreCollectionMetadata { VectorStoreSystemName = SqliteVectorStore.SystemName, VectorStoreName = database.DataSource, CollectionName = name };
        _writer = new SqliteAtomicRecordWriter<TKey, TRecord>(this);
        _tableName = SqliteSql.TablePrefix + name;
        _table = SqliteSql.Quote(_tableName);
        _columns = string.Join(", ", model.Data.Select(d => d.QuotedColumn).Prepend(model.Key.QuotedColumn));
        _columnsWithVector = _columns + ", " + model.Vector.QuotedColumn;
        int[] textColumns = [.. Enumerable.Range(0, model.Data.Count).Where(i => model.Data[i].Property.IsFullTextIndexed && model.Data[i].Kind == SqliteValueKind.String)];
        _keyword = textColumns.Length == 0 ? null : new SqliteKeywordIndex(_tableName, textColumns);
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return RunAsync(nameof(CollectionExistsAsync), () => _database.ReadAsync(async (c, t, ct) => await SqliteCollectionInfo.FindAsync(c, t, Name, ct).ConfigureAwait(false) is not null, cancellationToken));
    }

    /// <inheritdoc />
    /// <exception cref="VectorStoreException">
    /// The collection exists with another dimension, distance function, key type or vector column (the message names both).
    /// </exception>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return RunAsync(nameof(EnsureCollectionExistsAsync), () => _database.WriteAsync(CreateAsync, cancellationToken));
    }

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        _verified = false;
        _keywordReady = false;
        return RunAsync(nameof(EnsureCollectionDeletedAsync), () => _database.WriteAsync((c, t, ct) => SqliteCollectionInfo.DeleteAsync(c, t, Name, ct), cancellationToken));
    }

    /// <inheritdoc />
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public override Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(key);
        ThrowIfDisposed();
        var includeVectors = options?.IncludeVectors ?? false;
        return RunAsync(nameof(GetAsync), () => _database.ReadAsync(
            async (c, t, ct) =>
            {
                await VerifyAsync(c, t, ct).ConfigureAwait(false);
                await using var command = Command(c, t, $"SELECT {Columns(includeVectors)} FROM {_table} WHERE {_model.Key.QuotedColumn} = @key;");
                command.Parameters.AddWithValue("@key", _model.Key.ToColumnValue(key));
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadRecord(reader, 0, includeVectors) : null;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    /// <remarks>Records are returned in the order of <paramref name="keys"/>; missing keys are skipped.</remarks>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public override IAsyncEnumerable<TRecord> GetAsync(IEnumerable<TKey> keys, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = Throw.IfNull(keys).Distinct().ToList();
        ThrowIfDisposed();
        var includeVectors = options?.IncludeVectors ?? false;
        return YieldAsync<Dictionary<TKey, TRecord>, TRecord>(
            nameof(GetAsync),
            (c, t, ct) => FetchAsync(c, t, "SELECT {0} FROM {1} WHERE {2} IN ({3});", _model.Key.QuotedColumn, list, k => _model.Key.ToColumnValue(k), includeVectors, ct),
            records => list.Where(records.ContainsKey).Select(k => records[k]),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Without <c>OrderBy</c> records come in key order.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1, or <c>Skip</c> is negative.</exception>
    /// <exception cref="NotSupportedException">The filter or the order uses a construct the store cannot translate.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public override IAsyncEnumerable<TRecord> GetAsync(Expression<Func<TRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(filter);
        _ = Throw.IfLessThan(top, 1);
        var skip = Throw.IfLessThan(options?.Skip ?? 0, 0);
        ThrowIfDisposed();
        var (where, parameters) = SqliteFilterTranslator.Translate(_model, filter);
        var orderBy = OrderBy(options);
        var includeVectors = options?.IncludeVectors ?? false;
        return YieldAsync<List<TRecord>, TRecord>(
            nameof(GetAsync),
            async (c, t, ct) =>
            {
                await VerifyAsync(c, t, ct).ConfigureAwait(false);
                await using var command = Command(c, t, $"SELECT {Columns(includeVectors)} FROM {_table} WHERE {where} ORDER BY {orderBy} LIMIT @top OFFSET @skip;");
                command.Parameters.AddRange(parameters);
                command.Parameters.AddWithValue("@top", top);
                command.Parameters.AddWithValue("@skip", skip);
                var records = new List<TRecord>();
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    records.Add(ReadRecord(reader, 0, includeVectors));
                }

                return records;
            },
            records => records,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Deleting a key that does not exist does nothing.</remarks>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default) => DeleteAsync([Throw.IfNull(key)], cancellationToken);

    /// <inheritdoc />
    /// <remarks>All keys are deleted in one transaction; keys that do not exist are ignored.</remarks>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public override Task DeleteAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        var list = Throw.IfNull(keys).ToList();
        ThrowIfDisposed();
        return ReplaceAsync(list, [], nameof(DeleteAsync), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The vector does not have the collection's number of dimensions (the message names both sizes) or holds a NaN or an infinity, or the key is null.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default) => UpsertAsync([Throw.IfNull(record)], cancellationToken);

    /// <inheritdoc />
    /// <remarks>The whole batch is one transaction: when any record is invalid, nothing is written.</remarks>
    /// <exception cref="ArgumentException">A record is null, has a null key, or a vector without the collection's number of dimensions (the message names both sizes), or a vector holding a NaN or an infinity (the message names the key); nothing of the batch is written.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public override Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        var list = Throw.IfNull(records).ToList();
        ThrowIfDisposed();
        return ReplaceAsync([], list, nameof(UpsertAsync), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1, or <c>Skip</c> is negative.</exception>
    /// <exception cref="ArgumentException">The vector does not have the collection's number of dimensions (the message names both sizes), or holds a NaN or an infinity.</exception>
    /// <exception cref="NotSupportedException">
    /// <typeparamref name="TInput"/> is not <see cref="ReadOnlyMemory{T}"/> of float, float[] or <see cref="Embedding{T}"/> of float,
    /// or the filter uses a construct the store cannot translate.
    /// </exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public override IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(TInput value, int top, VectorSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(value);
        _ = Throw.IfLessThan(top, 1);
        var skip = Throw.IfLessThan(options?.Skip ?? 0, 0);
        ThrowIfDisposed();
        ReadOnlyMemory<float> query = value switch
        {
            ReadOnlyMemory<float> memory => memory,
            float[] array => array,
            Embedding<float> embedding => embedding.Vector,
            _ => throw new NotSupportedException($"The SQLite vector store cannot search with a value of type '{typeof(TInput)}': pass ReadOnlyMemory<float>, float[] or Embedding<float> (no embedding generator is configured)."),
        };
        _model.Vector.Check(query.Span, "the search vector", nameof(value));
        CheckVectorProperty(options?.VectorProperty);
        var (where, parameters) = options?.Filter is { } filter ? SqliteFilterTranslator.Translate(_model, filter) : ("1", []);
        var includeVectors = options?.IncludeVectors ?? false;
        var threshold = options?.ScoreThreshold;
        return YieldAsync(
            nameof(SearchAsync),
            async (c, t, ct) =>
            {
                await VerifyAsync(c, t, ct).ConfigureAwait(false);
                var ranked = Scan(c, query, where, parameters, (int)Math.Min((long)skip + top, int.MaxValue), threshold, ct).Skip(skip).ToList();
                var records = await FetchAsync(c, t, "SELECT rowid, {0} FROM {1} WHERE rowid IN ({3});", null, ranked.Select(r => r.RowId).ToList(), id => id, includeVectors, ct).ConfigureAwait(false);
                return (ranked, records);
            },
            result => result.ranked.Select(r => new VectorSearchResult<TRecord>(result.records[r.RowId], r.Score)),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The index lives in the database file beside the records and is read as committed, so another process's writes are
    /// found at once and a restart rebuilds nothing. Records are scored by BM25 over their full-text-indexed string
    /// properties (joined), exactly as AiEng's in-memory keyword index scores the same text; the filter runs in SQL and does
    /// not change the statistics. Equal scores are ordered by row (insertion) order.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    /// <exception cref="NotSupportedException">The record type has no full-text-indexed string property, or the filter uses a construct the store cannot translate.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist, or its keyword index was never built (call <see cref="EnsureCollectionExistsAsync"/> once).</exception>
    public IAsyncEnumerable<VectorSearchResult<TRecord>> KeywordSearchAsync(string query, int top, KeywordSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(query);
        _ = Throw.IfLessThan(top, 1);
        ThrowIfDisposed();
        var keyword = _keyword ?? throw new NotSupportedException($"The record type '{typeof(TRecord).Name}' has no full-text-indexed string property (VectorStoreData(IsFullTextIndexed = true)), so the collection '{Name}' keeps no keyword index.");
        var (where, parameters) = options?.Filter is { } filter ? SqliteFilterTranslator.Translate(_model, filter) : ("1", []);
        var includeVectors = options?.IncludeVectors ?? false;
        return YieldAsync(
            nameof(KeywordSearchAsync),
            async (c, t, ct) =>
            {
                await VerifyAsync(c, t, ct).ConfigureAwait(false);
                if (!_keywordReady && !await keyword.ExistsAsync(c, t, ct).ConfigureAwait(false))
                {
                    throw new VectorStoreException($"The collection '{Name}' in '{_database.DataSource}' was written before the store kept a keyword index. Call EnsureCollectionExistsAsync once (it indexes the existing records), then search again.")
                    {
                        VectorStoreSystemName = SqliteVectorStore.SystemName,
                        VectorStoreName = _database.DataSource,
                        CollectionName = Name,
                        OperationName = nameof(KeywordSearchAsync),
                    };
                }

                var ranked = await keyword.SearchAsync(c, t, query, top, where, parameters, ct).ConfigureAwait(false);
                var records = await FetchAsync(c, t, "SELECT rowid, {0} FROM {1} WHERE rowid IN ({3});", null, ranked.Select(r => r.RowId).ToList(), id => id, includeVectors, ct).ConfigureAwait(false);
                return (ranked, records);
            },
            result => result.ranked.Select(r => new VectorSearchResult<TRecord>(result.records[r.RowId], r.Score)),
            cancellationToken);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        _ = Throw.IfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata
            : serviceType == typeof(IAtomicRecordWriter<TKey, TRecord>) ? _writer
            : serviceType == typeof(IKeywordSearchable<TRecord>) ? (_keyword is null ? null : this)
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Deletes <paramref name="keysToDelete"/> and upserts <paramref name="recordsToUpsert"/> in one transaction.</summary>
    internal Task ReplaceAsync(IReadOnlyCollection<TKey> keysToDelete, IReadOnlyCollection<TRecord> recordsToUpsert, string operation, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var rows = new List<(object Key, object?[] Data, byte[] Vector)>(recordsToUpsert.Count);
        foreach (var record in recordsToUpsert)
        {
            rows.Add(ToRow(record));
        }

        var deletes = keysToDelete.Select(k => _model.Key.ToColumnValue(k ?? throw new ArgumentException("A key to delete is null.", nameof(keysToDelete)))).ToList();
        return RunAsync(operation, () => _database.WriteAsync(
            async (c, t, ct) =>
            {
                await VerifyAsync(c, t, ct).ConfigureAwait(false);
                await EnsureKeywordIndexAsync(c, t, ct).ConfigureAwait(false);
                var delta = new SqliteKeywordIndex.StatsDelta();
                if (deletes.Count > 0)
                {
                    await using var delete = Command(c, t, $"DELETE FROM {_table} WHERE {_model.Key.QuotedColumn} = @key RETURNING rowid;");
                    var key = delete.Parameters.Add("@key", SqliteType.Text);
                    foreach (var value in deletes)
                    {
                        ct.ThrowIfCancellationRequested();
                        key.Value = value;
                        if (await delete.ExecuteScalarAsync(ct).ConfigureAwait(false) is long rowId && _keyword is not null)
                        {
                            await _keyword.RemoveAsync(c, t, rowId, delta, ct).ConfigureAwait(false);
                        }
                    }
                }

                if (rows.Count > 0)
                {
                    await UpsertRowsAsync(c, t, rows, delta, ct).ConfigureAwait(false);
                }

                if (_keyword is not null)
                {
                    await delta.SaveAsync(_keyword, c, t, ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    private (object Key, object?[] Data, byte[] Vector) ToRow(TRecord record)
    {
        if (record is null)
        {
            throw new ArgumentException("The records contain null.", "records");
        }

        var key = _model.Key.Property.GetValue(record) ?? throw new ArgumentException($"A record of type '{typeof(TRecord).Name}' has a null key ('{_model.Key.Name}').", "records");
        var vector = _model.Vector.GetVector(record);
        _model.Vector.Check(vector.Span, $"record '{key}'", "records");

        var data = new object?[_model.Data.Count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = _model.Data[i].ToColumnValue(_model.Data[i].Property.GetValue(record));
        }

        return (_model.Key.ToColumnValue(key), data, SqliteVectorProperty.Encode(vector.Span));
    }

    private async Task UpsertRowsAsync(SqliteConnection connection, SqliteTransaction transaction, List<(object Key, object?[] Data, byte[] Vector)> rows, SqliteKeywordIndex.StatsDelta delta, CancellationToken cancellationToken)
    {
        var columns = _columnsWithVector;
        var values = string.Join(", ", Enumerable.Range(0, _model.Data.Count).Select(i => "@d" + i.ToString(CultureInfo.InvariantCulture)).Prepend("@key").Append("@vector"));
        var updates = string.Join(", ", _model.Data.Select(d => d.QuotedColumn).Append(_model.Vector.QuotedColumn).Select(c => $"{c} = excluded.{c}"));
        await using var command = Command(connection, transaction, $"INSERT INTO {_table} ({columns}) VALUES ({values}) ON CONFLICT({_model.Key.QuotedColumn}) DO UPDATE SET {updates} RETURNING rowid;");
        var key = command.Parameters.Add("@key", SqliteType.Text);
        var data = Enumerable.Range(0, _model.Data.Count).Select(i => command.Parameters.Add("@d" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Text)).ToArray();
        var vector = command.Parameters.Add("@vector", SqliteType.Blob);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            key.Value = row.Key;
            for (var i = 0; i < data.Length; i++)
            {
                data[i].Value = row.Data[i];
            }

            vector.Value = row.Vector;
            var rowId = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            if (_keyword is not null)
            {
                // The keyword index is written in the same transaction as the record, so it can never be out of step.
                await _keyword.RemoveAsync(connection, transaction, rowId, delta, cancellationToken).ConfigureAwait(false);
                await _keyword.IndexAsync(connection, transaction, rowId, _keyword.TextOf(row.Data), delta, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private List<(long RowId, double Score)> Scan(SqliteConnection connection, ReadOnlyMemory<float> query, string where, IReadOnlyList<SqliteParameter> parameters, int capacity, double? threshold, CancellationToken cancellationToken)
    {
        var sql = $"SELECT rowid, {_model.Key.QuotedColumn}, {_model.Vector.QuotedColumn} FROM {_table} WHERE {where};";
        return SqliteVectorScan.Run(connection, sql, parameters, _model.Key, _keyComparer, _model.Vector.Metric, query.Span, capacity, threshold, Name, cancellationToken);
    }

    /// <summary>Reads the records whose <paramref name="column"/> (null: rowid) is in <paramref name="ids"/>, in chunks, keyed by id.</summary>
    private async Task<Dictionary<TId, TRecord>> FetchAsync<TId>(SqliteConnection connection, SqliteTransaction transaction, string sqlFormat, string? column, List<TId> ids, Func<TId, object> toParameter, bool includeVectors, CancellationToken cancellationToken)
        where TId : notnull
    {
        await VerifyAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var records = new Dictionary<TId, TRecord>(ids.Count);
        var byRowId = column is null;
        for (var start = 0; start < ids.Count; start += InListChunk)
        {
            var chunk = ids.GetRange(start, Math.Min(InListChunk, ids.Count - start));
            var names = string.Join(", ", chunk.Select((_, i) => "@i" + i.ToString(CultureInfo.InvariantCulture)));
            await using var command = Command(connection, transaction, string.Format(CultureInfo.InvariantCulture, sqlFormat, Columns(includeVectors), _table, column, names));
            for (var i = 0; i < chunk.Count; i++)
            {
                command.Parameters.AddWithValue("@i" + i.ToString(CultureInfo.InvariantCulture), toParameter(chunk[i]));
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var record = ReadRecord(reader, byRowId ? 1 : 0, includeVectors);
                var id = byRowId ? (TId)(object)reader.GetInt64(0) : (TId)_model.Key.Property.GetValue(record)!;
                records[id] = record;
            }
        }

        return records;
    }

    private TRecord ReadRecord(SqliteDataReader reader, int first, bool includeVectors)
    {
        var record = _model.CreateRecord();
        _model.Key.ReadInto(record, reader, first);
        for (var i = 0; i < _model.Data.Count; i++)
        {
            _model.Data[i].ReadInto(record, reader, first + 1 + i);
        }

        if (includeVectors)
        {
            _model.Vector.SetVector(record, SqliteVectorProperty.Decode(reader.GetFieldValue<byte[]>(first + 1 + _model.Data.Count)));
        }

        return (TRecord)record;
    }

    private async Task<bool> CreateAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var info = await SqliteCollectionInfo.FindAsync(connection, transaction, Name, cancellationToken).ConfigureAwait(false);
        var sql = new StringBuilder();
        if (info is null)
        {
            var key = _model.Key;
            var keyType = key.SqlType == "INTEGER" ? "INTEGER" : "TEXT";
            sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {_table} ({key.QuotedColumn} {keyType} NOT NULL PRIMARY KEY");
            foreach (var data in _model.Data)
            {
                sql.Append(CultureInfo.InvariantCulture, $", {data.QuotedColumn} {data.SqlType}");
            }

            sql.Append(CultureInfo.InvariantCulture, $", {_model.Vector.QuotedColumn} BLOB NOT NULL);");
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO {SqliteSql.MetadataTable} (name, table_name, key_type, vector_column, dimensions, distance_function, created_utc) VALUES (@name, @table, @keyType, @vector, @dimensions, @distance, @created);");
        }
        else
        {
            Validate(info);

            // Data properties added to the record type since the collection was created get a new (null) column.
            var existing = await ColumnsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            foreach (var data in _model.Data.Where(d => !existing.Contains(d.ColumnName)))
            {
                sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE {_table} ADD COLUMN {data.QuotedColumn} {data.SqlType};");
            }
        }

        foreach (var data in _model.Data.Where(d => d.IsIndexed))
        {
            sql.Append(CultureInfo.InvariantCulture, $"CREATE INDEX IF NOT EXISTS {SqliteSql.Quote(_tableName + "_ix_" + data.ColumnName)} ON {_table} ({data.QuotedColumn});");
        }

        if (sql.Length > 0)
        {
            await using var command = Command(connection, transaction, sql.ToString());
            command.Parameters.AddWithValue("@name", Name);
            command.Parameters.AddWithValue("@table", _tableName);
            command.Parameters.AddWithValue("@keyType", KeyTypeName);
            command.Parameters.AddWithValue("@vector", _model.Vector.ColumnName);
            command.Parameters.AddWithValue("@dimensions", _model.Vector.Dimensions);
            command.Parameters.AddWithValue("@distance", _model.Vector.DistanceFunction);
            command.Parameters.AddWithValue("@created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        _verified = true;
        await EnsureKeywordIndexAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Creates the keyword index when the collection has none yet (a file from before it existed), indexing its records once.</summary>
    private async Task EnsureKeywordIndexAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        if (_keyword is null || _keywordReady)
        {
            return;
        }

        await _keyword.EnsureAsync(connection, transaction, [.. _keyword.TextColumns.Select(i => _model.Data[i].ColumnName)], cancellationToken).ConfigureAwait(false);
        _keywordReady = true;
    }

    private async Task<HashSet<string>> ColumnsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT name FROM pragma_table_info(@table);");
        command.Parameters.AddWithValue("@table", _tableName);
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    /// <summary>Checks once per collection object that the collection exists and matches the record model.</summary>
    private async Task VerifyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        if (_verified)
        {
            return;
        }

        var info = await SqliteCollectionInfo.FindAsync(connection, transaction, Name, cancellationToken).ConfigureAwait(false) ?? throw Missing(operation: null);
        Validate(info);
        _verified = true;
    }

    private void Validate(SqliteCollectionInfo info)
    {
        if (typeof(TRecord) == typeof(ChunkRecord) && info.KeyType == nameof(SqliteValueKind.String) && KeyTypeName == nameof(SqliteValueKind.Guid))
        {
            // An index written before chunk keys became GUIDs: its keys ("doc#3") cannot be read as GUIDs. Rebuilding is
            // one ingestion run (and costs no embedding calls behind an embedding disk cache).
            throw new VectorStoreException(
                $"The collection '{Name}' in '{_database.DataSource}' was written by an earlier version of AiEng, which keyed chunks by strings such as 'doc#3'; " +
                $"{nameof(ChunkRecord)} keys are now GUIDs ({nameof(ChunkRecord)}.{nameof(ChunkRecord.CreateKey)}). Rebuild the index: delete the file '{_database.DataSource}' " +
                $"(with its -wal and -shm files), or delete the collection with store.EnsureCollectionDeletedAsync(\"{Name}\"), then ingest the documents again.")
            {
                VectorStoreSystemName = SqliteVectorStore.SystemName,
                VectorStoreName = _database.DataSource,
                CollectionName = Name,
            };
        }

        string? mismatch =
            info.Dimensions != _model.Vector.Dimensions ? $"its vectors have {info.Dimensions} dimensions, but the record definition expects {_model.Vector.Dimensions} dimensions (expected {info.Dimensions} dimensions, got {_model.Vector.Dimensions})"
            : info.DistanceFunction != _model.Vector.DistanceFunction ? $"it compares vectors by {info.DistanceFunction}, but the record definition uses {_model.Vector.DistanceFunction}"
            : info.KeyType != KeyTypeName ? $"its keys are {info.KeyType}, but the collection is opened with {KeyTypeName} keys"
            : !string.Equals(info.VectorColumn, _model.Vector.ColumnName, StringComparison.OrdinalIgnoreCase) ? $"its vector column is '{info.VectorColumn}', but the record definition stores the vector in '{_model.Vector.ColumnName}'"
            : null;
        if (mismatch is not null)
        {
            throw new VectorStoreException($"The collection '{Name}' in '{_database.DataSource}' was created differently: {mismatch}. Open it with a matching definition, or delete and re-create it (re-embedding its records).")
            {
                VectorStoreSystemName = SqliteVectorStore.SystemName,
                VectorStoreName = _database.DataSource,
                CollectionName = Name,
            };
        }
    }

    private string KeyTypeName => _model.Key.Kind.ToString();

    private string Columns(bool includeVectors) => includeVectors ? _columnsWithVector : _columns;

    private static string OrderBy(FilteredRecordRetrievalOptions<TRecord>? options, SqliteRecordModel model)
    {
        var sorts = options?.OrderBy?.Invoke(new FilteredRecordRetrievalOptions<TRecord>.OrderByDefinition()).Values;
        if (sorts is null || sorts.Count == 0)
        {
            return model.Key.QuotedColumn;
        }

        return string.Join(", ", sorts.Select(s =>
        {
            var property = SqliteFilterTranslator.ResolveProperty(model, s.PropertySelector);
            if (property.IsStringCollection)
            {
                throw new NotSupportedException($"Ordering by the list property '{property.Name}' is not supported.");
            }

            return property.ComparableColumn + (s.Ascending ? " ASC" : " DESC");
        }).Append(model.Key.QuotedColumn));
    }

    private string OrderBy(FilteredRecordRetrievalOptions<TRecord>? options) => OrderBy(options, _model);

    private void CheckVectorProperty(Expression<Func<TRecord, object?>>? selector)
    {
        if (selector is null)
        {
            return;
        }

        var body = selector.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : selector.Body;
        if (body is not MemberExpression { Member.Name: var name } || name != _model.Vector.Name)
        {
            throw new InvalidOperationException($"The VectorProperty selector '{selector}' does not select the vector property '{_model.Vector.Name}' of '{typeof(TRecord).Name}'.");
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private IAsyncEnumerable<TResult> YieldAsync<TState, TResult>(string operation, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<TState>> read, Func<TState, IEnumerable<TResult>> results, CancellationToken cancellationToken)
    {
        return Iterate(cancellationToken);

        async IAsyncEnumerable<TResult> Iterate([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var state = await RunAsync(operation, () => _database.ReadAsync(read, cancellationToken)).ConfigureAwait(false);
            foreach (var result in results(state))
            {
                yield return result;
            }
        }
    }

    private async Task RunAsync(string operation, Func<Task> work) => await RunAsync(operation, async () =>
    {
        await work().ConfigureAwait(false);
        return true;
    }).ConfigureAwait(false);

    private async Task<T> RunAsync<T>(string operation, Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase))
        {
            // Deleted through another collection object or process after this one checked it.
            _verified = false;
            _keywordReady = false;
            throw Missing(operation, ex);
        }
        catch (SqliteException ex)
        {
            throw new VectorStoreException($"SQLite failed during {operation} on collection '{Name}' in '{_database.DataSource}': {ex.Message}", ex)
            {
                VectorStoreSystemName = SqliteVectorStore.SystemName,
                VectorStoreName = _database.DataSource,
                CollectionName = Name,
                OperationName = operation,
            };
        }
    }

    private VectorStoreException Missing(string? operation, Exception? inner = null) =>
        new($"The collection '{Name}' does not exist in '{_database.DataSource}'. Call EnsureCollectionExistsAsync before using it.", inner)
        {
            VectorStoreSystemName = SqliteVectorStore.SystemName,
            VectorStoreName = _database.DataSource,
            CollectionName = Name,
            OperationName = operation,
        };

    private void ThrowIfDisposed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _database.ThrowIfDisposed();
    }
}
