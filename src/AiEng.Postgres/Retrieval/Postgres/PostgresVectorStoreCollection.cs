using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Npgsql;
using Pgvector;

namespace AiEng.Retrieval;

/// <summary>A collection of a <see cref="PostgresVectorStore"/>: one table of records with a <c>vector</c> or <c>halfvec</c> column.</summary>
/// <typeparam name="TKey">The key type: <see cref="string"/>, <see cref="Guid"/>, <see cref="int"/> or <see cref="long"/>.</typeparam>
/// <typeparam name="TRecord">The record type.</typeparam>
/// <remarks>
/// <para>
/// Every call is one transaction on one connection: a batch upsert or delete is applied completely or not at all, and
/// <c>GetService(typeof(IAtomicRecordWriter&lt;TKey, TRecord&gt;))</c> returns a writer whose <c>ReplaceAsync</c> deletes and
/// upserts in one transaction, so a reader (or a killed writer) never leaves or sees part of a document. Reads are one
/// statement each, so they see one committed state.
/// </para>
/// <para>
/// Search orders by pgvector's distance operator (<c>&lt;=&gt;</c> cosine, <c>&lt;#&gt;</c> negated inner product,
/// <c>&lt;-&gt;</c> Euclidean) with ties broken by key. Without a vector index it is exact; with an HNSW or IVFFlat index it is
/// approximate, and the index's search setting is applied with <c>SET LOCAL</c> in the search's transaction. Filters are
/// translated to SQL whose values are all parameters.
/// </para>
/// </remarks>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads are overrides of VectorStoreCollection's.")]
public sealed class PostgresVectorStoreCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>, IKeywordSearchable<TRecord>, IKeywordHybridSearchable<TRecord>
    where TKey : notnull
    where TRecord : class
{
    private const int MaxParameters = 65535;
    private const string ScoreColumn = "aieng_score";

    /// <summary>The fewest records keyword search scores exactly after ranking them by their query terms' IDFs (at least twice the records asked for).</summary>
    private const int KeywordRescoreDepth = 200;

    private readonly PostgresDatabase _database;
    private readonly PostgresRecordModel _model;
    private readonly PostgresCollectionSchema _schema;
    private readonly VectorStoreCollectionMetadata _metadata;
    private readonly IAtomicRecordWriter<TKey, TRecord> _writer;
    private readonly string _columns;
    private readonly string _columnsWithVector;
    private readonly string _keyOrder;
    private volatile bool _verified;
    private volatile bool _disposed;

    internal PostgresVectorStoreCollection(PostgresDatabase database, string name, PostgresRecordModel model)
    {
        _database = database;
        _model = model;
        Name = name;
        _schema = new PostgresCollectionSchema(database, model, name);
        _metadata = new VectorStoreCollectionMetadata { VectorStoreSystemName = PostgresVectorStore.SystemName, VectorStoreName = database.Name, CollectionName = name };
        _writer = new PostgresAtomicRecordWriter<TKey, TRecord>(this);
        _columns = string.Join(", ", model.Data.Select(d => d.QuotedColumn).Prepend(model.Key.QuotedColumn));
        _columnsWithVector = _columns + ", " + model.VectorColumn;

        // Ties go to the lower key, compared as C# does: strings by code point.
        _keyOrder = model.Key.IsText ? $"{model.Key.QuotedColumn} COLLATE \"C\"" : model.Key.QuotedColumn;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return RunAsync(nameof(CollectionExistsAsync), (c, t, ct) => _schema.ExistsAsync(c, t, ct), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="VectorStoreException">
    /// The table exists with another dimension, vector type, distance function, key or column type, or text search
    /// configuration (the message says what differs and how to migrate).
    /// </exception>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return RunAsync(
            nameof(EnsureCollectionExistsAsync),
            async (c, t, ct) =>
            {
                await _schema.CreateOrCheckAsync(c, t, ct).ConfigureAwait(false);
                _verified = true;
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        _verified = false;
        return RunAsync(
            nameof(EnsureCollectionDeletedAsync),
            async (c, t, ct) =>
            {
                await PostgresCollectionSchema.DeleteAsync(_database, c, t, Name, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public override async Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(key);
        ThrowIfDisposed();
        var records = await ReadAsync([key], options?.IncludeVectors ?? false, cancellationToken).ConfigureAwait(false);
        return records.Count == 0 ? null : records[0];
    }

    /// <inheritdoc />
    /// <remarks>Records are returned in the order of <paramref name="keys"/>; missing keys are skipped.</remarks>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public override IAsyncEnumerable<TRecord> GetAsync(IEnumerable<TKey> keys, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = Throw.IfNull(keys).Distinct().ToList();
        ThrowIfDisposed();
        return YieldAsync(() => ReadAsync(list, options?.IncludeVectors ?? false, cancellationToken), cancellationToken);
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
        var (where, parameters) = PostgresFilterTranslator.Translate(_model, filter);
        var orderBy = OrderBy(options);
        var includeVectors = options?.IncludeVectors ?? false;
        return YieldAsync(
            () => RunAsync(
                nameof(GetAsync),
                async (c, t, ct) =>
                {
                    await VerifyAsync(c, t, ct).ConfigureAwait(false);
                    await using var command = PostgresDatabase.Command(c, t, $"SELECT {Columns(includeVectors)} FROM {_schema.Table} WHERE {where} ORDER BY {orderBy} LIMIT @top OFFSET @skip");
                    AddParameters(command, parameters);
                    command.Parameters.AddWithValue("top", top);
                    command.Parameters.AddWithValue("skip", skip);
                    return await ReadRecordsAsync(command, includeVectors, scored: false, ct).ConfigureAwait(false);
                },
                cancellationToken),
            cancellationToken).Select(r => r.Record);
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
    /// <remarks>
    /// The whole batch is one transaction of multi-row <c>INSERT ... ON CONFLICT DO UPDATE</c> statements
    /// (<see cref="PostgresVectorStoreOptions.UpsertBatchSize"/> rows each): when any record is invalid, nothing is written.
    /// When the batch holds a key twice, the last record wins.
    /// </remarks>
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
        var query = QueryVector(value);
        CheckVectorProperty(options?.VectorProperty);
        var (where, parameters) = PostgresFilterTranslator.Translate(_model, options?.Filter);
        var includeVectors = options?.IncludeVectors ?? false;
        var threshold = options?.ScoreThreshold;
        return YieldAsync(
            () => RunAsync(
                nameof(SearchAsync),
                async (c, t, ct) =>
                {
                    await VerifyAsync(c, t, ct).ConfigureAwait(false);
                    await SetSearchParametersAsync(c, t, preferIndexes: false, ct).ConfigureAwait(false);
                    var (order, score) = VectorExpressions("@q");
                    await using var command = PostgresDatabase.Command(c, t, $"SELECT {Columns(includeVectors)}, {score} AS {ScoreColumn} FROM {_schema.Table} WHERE {where} ORDER BY {order}, {_keyOrder} LIMIT @top OFFSET @skip");
                    AddParameters(command, parameters);
                    command.Parameters.AddWithValue("q", ToParameter(query));
                    command.Parameters.AddWithValue("top", top);
                    command.Parameters.AddWithValue("skip", skip);
                    return await ReadRecordsAsync(command, includeVectors, scored: true, ct).ConfigureAwait(false);
                },
                cancellationToken),
            cancellationToken)
            .Where(r => VectorMetrics.Passes(_model.Metric, r.Score, threshold))
            .Select(r => new VectorSearchResult<TRecord>(r.Record, r.Score));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Runs in PostgreSQL and ranks by BM25 (k1 0.9, b 0.4, as AiEng's in-memory index): the query text is analysed into
    /// lexemes by the configured text search configuration (as the generated <c>tsvector</c> column over the full-text-indexed
    /// string properties is; search operators are not interpreted), each lexeme's document frequency is counted through the
    /// GIN index, and the collection size and average record length come from a statistics table that triggers keep in the
    /// writing transaction. A record's length is its number of distinct lexemes. Records are first ranked by the summed IDF
    /// of the query lexemes they contain, and the best few hundred are scored exactly, so a record with none of the query's
    /// lexemes is never returned. The filter limits the records returned; the statistics are the whole collection's.
    /// Equal scores are ordered by key.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    /// <exception cref="NotSupportedException">The record type has no full-text-indexed string property, or the filter uses a construct the store cannot translate.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public IAsyncEnumerable<VectorSearchResult<TRecord>> KeywordSearchAsync(string query, int top, KeywordSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(query);
        _ = Throw.IfLessThan(top, 1);
        ThrowIfDisposed();
        CheckKeywordSearchable();
        var (where, parameters) = PostgresFilterTranslator.Translate(_model, options?.Filter);
        var includeVectors = options?.IncludeVectors ?? false;
        return YieldAsync(
            () => RunAsync(
                nameof(KeywordSearchAsync),
                async (c, t, ct) =>
                {
                    await VerifyAsync(c, t, ct).ConfigureAwait(false);
                    await SetSearchParametersAsync(c, t, preferIndexes: true, ct).ConfigureAwait(false);
                    await using var command = PostgresDatabase.Command(c, t, $"""
                        WITH {KeywordRankingCtes(where)}
                        SELECT {Columns(includeVectors)}, kw.s AS {ScoreColumn} FROM kw JOIN {_schema.Table} ON {_model.Key.QuotedColumn} = kw.k
                        ORDER BY {ScoreColumn} DESC, {_keyOrder} LIMIT @top
                        """);
                    AddParameters(command, parameters);
                    AddKeywordParameters(command, query, top);
                    command.Parameters.AddWithValue("top", top);
                    return await ReadRecordsAsync(command, includeVectors, scored: true, ct).ConfigureAwait(false);
                },
                cancellationToken),
            cancellationToken)
            .Select(r => new VectorSearchResult<TRecord>(r.Record, r.Score));
    }

    /// <summary>
    /// Searches by vector and by keywords in one SQL statement and fuses the two rankings by reciprocal rank: each record
    /// scores <c>1 / (k + rank)</c> in each list it is in (<c>k</c> is <see cref="PostgresVectorStoreOptions.HybridRankConstant"/>),
    /// over the best <see cref="PostgresVectorStoreOptions.HybridCandidateDepth"/> of each side (at least <c>skip + top</c>).
    /// </summary>
    /// <typeparam name="TInput">The search vector's type: <see cref="ReadOnlyMemory{T}"/> of float, float[] or <see cref="Embedding{T}"/> of float.</typeparam>
    /// <param name="searchValue">The search vector.</param>
    /// <param name="keywords">The keywords, searched as <see cref="KeywordSearchAsync"/> searches its query text (joined by spaces).</param>
    /// <param name="top">The largest number of records to return; at least 1.</param>
    /// <param name="options">The filter (applied to both lists, before their top records are chosen), skip, score threshold (on the fused score) and whether to return vectors.</param>
    /// <param name="cancellationToken">A token that cancels the search.</param>
    /// <returns>The records with their fused scores (higher is better), best first; ties are ordered by key.</returns>
    /// <remarks>
    /// <c>AddRetrieval</c> runs its hybrid retrieval here (through <c>StoreHybridRetriever</c>) when the store is PostgreSQL.
    /// <c>AdditionalProperty</c> may name any full-text-indexed property: the generated column covers all of them.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="searchValue"/> or <paramref name="keywords"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1, or <c>Skip</c> is negative.</exception>
    /// <exception cref="ArgumentException">The vector does not have the collection's number of dimensions, or holds a NaN or an infinity.</exception>
    /// <exception cref="NotSupportedException">The input type is not supported, the record type has no full-text-indexed string property, or the filter uses a construct the store cannot translate.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public IAsyncEnumerable<VectorSearchResult<TRecord>> HybridSearchAsync<TInput>(TInput searchValue, ICollection<string> keywords, int top, HybridSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        _ = Throw.IfNull(searchValue);
        _ = Throw.IfNull(keywords);
        _ = Throw.IfLessThan(top, 1);
        var skip = Throw.IfLessThan(options?.Skip ?? 0, 0);
        ThrowIfDisposed();
        CheckKeywordSearchable();
        var query = QueryVector(searchValue);
        CheckVectorProperty(options?.VectorProperty);
        var (where, parameters) = PostgresFilterTranslator.Translate(_model, options?.Filter);
        var includeVectors = options?.IncludeVectors ?? false;
        var threshold = options?.ScoreThreshold;
        var depth = Math.Max(_database.Options.HybridCandidateDepth, (int)Math.Min((long)skip + top, int.MaxValue));
        var key = _model.Key.QuotedColumn;
        return YieldAsync(
            () => RunAsync(
                nameof(HybridSearchAsync),
                async (c, t, ct) =>
                {
                    await VerifyAsync(c, t, ct).ConfigureAwait(false);
                    await SetSearchParametersAsync(c, t, preferIndexes: true, ct).ConfigureAwait(false);
                    var (order, _) = VectorExpressions("@q");
                    await using var command = PostgresDatabase.Command(c, t, $"""
                        WITH {KeywordRankingCtes(where)},
                        vec AS (SELECT k, ROW_NUMBER() OVER (ORDER BY d, k) AS r FROM (SELECT {key} AS k, {order} AS d FROM {_schema.Table} WHERE {where} ORDER BY {order}, {_keyOrder} LIMIT @depth) AS v),
                        kwr AS (SELECT k, ROW_NUMBER() OVER (ORDER BY s DESC, k) AS r FROM (SELECT k, s FROM kw ORDER BY s DESC, k LIMIT @depth) AS w),
                        fused AS (SELECT COALESCE(vec.k, kwr.k) AS aieng_key, COALESCE(1.0 / (@rrf + vec.r), 0) + COALESCE(1.0 / (@rrf + kwr.r), 0) AS {ScoreColumn} FROM vec FULL OUTER JOIN kwr ON vec.k = kwr.k)
                        SELECT {Columns(includeVectors)}, {ScoreColumn}::float8 FROM fused JOIN {_schema.Table} ON {key} = fused.aieng_key
                        ORDER BY {ScoreColumn} DESC, {_keyOrder} LIMIT @top OFFSET @skip
                        """);
                    AddParameters(command, parameters);
                    command.Parameters.AddWithValue("q", ToParameter(query));
                    AddKeywordParameters(command, string.Join(' ', keywords), depth);
                    command.Parameters.AddWithValue("depth", depth);
                    command.Parameters.AddWithValue("rrf", _database.Options.HybridRankConstant);
                    command.Parameters.AddWithValue("top", top);
                    command.Parameters.AddWithValue("skip", skip);
                    return await ReadRecordsAsync(command, includeVectors, scored: true, ct).ConfigureAwait(false);
                },
                cancellationToken),
            cancellationToken)
            .Where(r => threshold is not { } limit || r.Score >= limit)
            .Select(r => new VectorSearchResult<TRecord>(r.Record, r.Score));
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        _ = Throw.IfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata
            : serviceType == typeof(IAtomicRecordWriter<TKey, TRecord>) ? _writer
            : serviceType == typeof(IKeywordSearchable<TRecord>) || serviceType == typeof(IKeywordHybridSearchable<TRecord>) ? (_schema.HasSearchColumn ? this : null)
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Deletes <paramref name="keysToDelete"/> and upserts <paramref name="recordsToUpsert"/> in one transaction.</summary>
    internal Task ReplaceAsync(IReadOnlyCollection<TKey> keysToDelete, IReadOnlyCollection<TRecord> recordsToUpsert, string operation, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var rows = Rows(recordsToUpsert);
        var deletes = keysToDelete.Select(k => k ?? throw new ArgumentException("A key to delete is null.", nameof(keysToDelete))).ToArray();
        return RunAsync(
            operation,
            async (c, t, ct) =>
            {
                await VerifyAsync(c, t, ct).ConfigureAwait(false);
                if (deletes.Length > 0)
                {
                    await using var delete = PostgresDatabase.Command(c, t, $"DELETE FROM {_schema.Table} WHERE {_model.Key.QuotedColumn} = ANY(@keys)");
                    delete.Parameters.AddWithValue("keys", deletes);
                    await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await UpsertRowsAsync(c, t, rows, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    /// <summary>Converts the records to parameter rows (key, data..., vector), checking each, the last of a repeated key winning.</summary>
    private List<object[]> Rows(IReadOnlyCollection<TRecord> records)
    {
        var rows = new List<object[]>(records.Count);
        var seen = new HashSet<object>();
        foreach (var record in records.Reverse())
        {
            if (record is null)
            {
                throw new ArgumentException("The records contain null.", "records");
            }

            var key = _model.Model.GetKey(record) ?? throw new ArgumentException($"A record of type '{typeof(TRecord).Name}' has a null key ('{_model.Key.Name}').", "records");
            var vector = _model.Model.GetVector(record);
            _model.Model.CheckDimensions(vector.Length, $"record '{key}'", "records");
            VectorMetrics.CheckFinite(_model.Model, vector.Span, $"record '{key}'", "records");
            var parameter = ToParameter(vector, $"record '{key}'", "records");
            if (!seen.Add(key))
            {
                continue;
            }

            var row = new object[_model.Data.Count + 2];
            row[0] = key;
            for (var i = 0; i < _model.Data.Count; i++)
            {
                row[i + 1] = _model.Data[i].ToParameterValue(_model.Data[i].Property.GetValue(record));
            }

            row[^1] = parameter;
            rows.Add(row);
        }

        rows.Reverse();
        return rows;
    }

    private async Task UpsertRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<object[]> rows, CancellationToken cancellationToken)
    {
        var width = _model.Data.Count + 2;
        var batch = Math.Max(1, Math.Min(_database.Options.UpsertBatchSize, MaxParameters / width));
        var updates = string.Join(", ", _model.Data.Select(d => d.QuotedColumn).Append(_model.VectorColumn).Select(c => $"{c} = EXCLUDED.{c}"));
        for (var start = 0; start < rows.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batch, rows.Count - start);
            var sql = new StringBuilder($"INSERT INTO {_schema.Table} ({_columnsWithVector}) VALUES ");
            await using var command = PostgresDatabase.Command(connection, transaction, string.Empty);
            for (var r = 0; r < count; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                var row = rows[start + r];
                for (var i = 0; i < width; i++)
                {
                    command.Parameters.Add(i == 0 ? new NpgsqlParameter { Value = _model.Key.ToParameterValue(row[0]), NpgsqlDbType = _model.Key.DbType }
                        : i < width - 1 ? new NpgsqlParameter { Value = row[i], NpgsqlDbType = _model.Data[i - 1].DbType }
                        : new NpgsqlParameter { Value = row[i] });
                    sql.Append(i == 0 ? "$" : ", $").Append(command.Parameters.Count.ToString(CultureInfo.InvariantCulture));
                }

                sql.Append(')');
            }

            sql.Append(CultureInfo.InvariantCulture, $" ON CONFLICT ({_model.Key.QuotedColumn}) DO UPDATE SET {updates}");
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<TRecord>> ReadAsync(IReadOnlyList<TKey> keys, bool includeVectors, CancellationToken cancellationToken)
    {
        var found = await RunAsync(
            nameof(GetAsync),
            async (c, t, ct) =>
            {
                await VerifyAsync(c, t, ct).ConfigureAwait(false);
                await using var command = PostgresDatabase.Command(c, t, $"SELECT {Columns(includeVectors)} FROM {_schema.Table} WHERE {_model.Key.QuotedColumn} = ANY(@keys)");
                command.Parameters.AddWithValue("keys", keys.ToArray());
                return await ReadRecordsAsync(command, includeVectors, scored: false, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        var byKey = found.ToDictionary(r => (TKey)_model.Model.GetKey(r.Record)!, r => r.Record);
        return [.. keys.Where(byKey.ContainsKey).Select(k => byKey[k])];
    }

    private async Task<List<(TRecord Record, double Score)>> ReadRecordsAsync(NpgsqlCommand command, bool includeVectors, bool scored, CancellationToken cancellationToken)
    {
        var records = new List<(TRecord, double)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = _model.Model.CreateRecord();
            _model.Key.ReadInto(record, reader, 0);
            for (var i = 0; i < _model.Data.Count; i++)
            {
                _model.Data[i].ReadInto(record, reader, i + 1);
            }

            var next = _model.Data.Count + 1;
            if (includeVectors)
            {
                _model.Model.SetVector(record, _database.Options.VectorType == PostgresVectorType.HalfVector
                    ? Array.ConvertAll(reader.GetFieldValue<HalfVector>(next).ToArray(), h => (float)h)
                    : reader.GetFieldValue<Vector>(next).ToArray());
                next++;
            }

            records.Add(((TRecord)record, scored ? reader.GetDouble(next) : 0));
        }

        return records;
    }

    /// <summary>
    /// The ORDER BY expression (best first, ascending) and the score expression of a vector search against the parameter
    /// <paramref name="query"/>. pgvector returns NaN for the cosine distance of a zero vector; AiEng scores it as cosine
    /// similarity 0 (distance 1). Without an index the order uses the same rule; with one it must be the bare operator for
    /// the index to serve it (and pgvector's cosine indexes do not hold zero vectors).
    /// </summary>
    private (string Order, string Score) VectorExpressions(string query)
    {
        var column = _model.VectorColumn;
        var (op, cosine) = _model.Metric switch
        {
            VectorMetric.CosineSimilarity or VectorMetric.CosineDistance => ("<=>", true),
            VectorMetric.DotProductSimilarity or VectorMetric.NegativeDotProductSimilarity => ("<#>", false),
            _ => ("<->", false),
        };
        var raw = $"({column} {op} {query})";
        var distance = cosine ? $"COALESCE(NULLIF({raw}, 'NaN'::float8), 1)" : raw;
        var score = _model.Metric switch
        {
            VectorMetric.CosineSimilarity => $"(1 - {distance})",
            VectorMetric.DotProductSimilarity => $"(-{raw})",
            VectorMetric.EuclideanSquaredDistance => $"({raw} * {raw})",
            _ => distance,
        };
        return (_model.IndexKind == PostgresIndexKind.Flat ? distance : raw, score);
    }

    /// <summary>
    /// Sets, for this transaction only, the vector index's search parameters and, for statements with a keyword side
    /// (<paramref name="preferIndexes"/>), <c>enable_seqscan = off</c>: with query terms it cannot see at planning time,
    /// the planner would otherwise scan a small or mid-sized table whole for each term, which is several times slower
    /// than the GIN index. One round trip.
    /// </summary>
    private async Task SetSearchParametersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, bool preferIndexes, CancellationToken cancellationToken)
    {
        // SET LOCAL lasts until the transaction ends, so a pooled connection (or PGlite's one shared session) keeps no setting.
        var options = _database.Options;
        var settings = new List<string>(3);
        switch (_model.IndexKind)
        {
            case PostgresIndexKind.Hnsw:
                if (options.HnswEfSearch is { } ef)
                {
                    settings.Add($"SET LOCAL hnsw.ef_search = {ef.ToString(CultureInfo.InvariantCulture)}");
                }

                if (options.HnswIterativeScan && _database.HasIterativeScans)
                {
                    // Strict order keeps the index's distance order, so ORDER BY ... LIMIT needs no re-sort.
                    settings.Add("SET LOCAL hnsw.iterative_scan = strict_order");
                }

                break;
            case PostgresIndexKind.IvfFlat when options.IvfFlatProbes is { } probes:
                settings.Add($"SET LOCAL ivfflat.probes = {probes.ToString(CultureInfo.InvariantCulture)}");
                break;
        }

        if (preferIndexes)
        {
            settings.Add("SET LOCAL enable_seqscan = off");
        }

        if (settings.Count > 0)
        {
            await using var command = PostgresDatabase.Command(connection, transaction, string.Join(';', settings));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private string Search => PostgresSql.Quote(PostgresCollectionSchema.SearchColumn);

    /// <summary>
    /// The CTEs that rank records by BM25 (Okapi, with AiEng's default k1 and b) for the query text in <c>@text</c>, ending in
    /// <c>kw(k, s)</c>: key and score. The text is analysed by the collection's text search configuration into lexemes;
    /// each lexeme's document frequency is counted through the GIN index over the whole collection; the collection size and
    /// average length come from the statistics table the triggers keep. A record's length is its number of distinct
    /// lexemes (<c>length(tsvector)</c>, read without unpacking it), and a term's frequency is the number of its positions.
    /// The records matching <paramref name="where"/> are first ranked by the sum of the IDFs of the query lexemes they
    /// contain (index lookups only); the best <c>@kwdepth</c> of them are then scored exactly.
    /// </summary>
    private string KeywordRankingCtes(string where)
    {
        var config = $"'{_database.Options.TextSearchConfiguration}'::regconfig";
        var key = _model.Key.QuotedColumn;
        return $"""
            aieng_terms AS MATERIALIZED (SELECT lexeme, quote_literal(lexeme)::tsquery AS tq FROM unnest(tsvector_to_array(to_tsvector({config}, @text))) AS lexeme),
            aieng_stats AS MATERIALIZED (SELECT greatest(coalesce(sum(documents), 0), 1)::float8 AS n, greatest(coalesce(sum(lexemes), 0), 1)::float8 / greatest(coalesce(sum(documents), 0), 1) AS avgdl FROM {_schema.StatisticsTable}),
            aieng_df AS MATERIALIZED (SELECT t.lexeme, t.tq, (SELECT count(*) FROM {_schema.Table} WHERE {Search} @@ t.tq) AS df FROM aieng_terms AS t),
            aieng_idf AS MATERIALIZED (SELECT f.lexeme AS aieng_lexeme, f.tq AS aieng_tq, ln(1 + (st.n - f.df + 0.5) / (f.df + 0.5)) AS aieng_w FROM aieng_df AS f, aieng_stats AS st WHERE f.df > 0),
            aieng_first AS MATERIALIZED (SELECT {key} AS k, {Search} AS v FROM {_schema.Table} JOIN aieng_idf ON {Search} @@ aieng_idf.aieng_tq WHERE ({where}) GROUP BY {key} ORDER BY sum(aieng_idf.aieng_w) DESC, {_keyOrder} LIMIT @kwdepth),
            kw AS (SELECT f.k, sum(i.aieng_w * u.tf * (@k1 + 1) / (u.tf + @k1 * (1 - @b + @b * length(f.v) / st.avgdl)))::float8 AS s
                FROM aieng_first AS f
                CROSS JOIN LATERAL (SELECT x.lexeme, coalesce(array_length(x.positions, 1), 1)::float8 AS tf FROM unnest(f.v) AS x) AS u
                JOIN aieng_idf AS i ON u.lexeme = i.aieng_lexeme
                CROSS JOIN aieng_stats AS st
                GROUP BY f.k)
            """;
    }

    /// <summary>Adds <c>@text</c>, <c>@kwdepth</c> (how many records the exact BM25 scoring sees), <c>@k1</c> and <c>@b</c>.</summary>
    private static void AddKeywordParameters(NpgsqlCommand command, string text, int wanted)
    {
        command.Parameters.AddWithValue("text", text);
        command.Parameters.AddWithValue("kwdepth", Math.Max(KeywordRescoreDepth, (int)Math.Min(2L * wanted, int.MaxValue)));
        // Through decimal, a float's shortest form (0.9f becomes 0.9, not 0.899999976).
        command.Parameters.AddWithValue("k1", (double)(decimal)Bm25Options.DefaultK1);
        command.Parameters.AddWithValue("b", (double)(decimal)Bm25Options.DefaultB);
    }

    private void CheckKeywordSearchable()
    {
        if (!_schema.HasSearchColumn)
        {
            throw new NotSupportedException($"The record type '{typeof(TRecord).Name}' has no full-text-indexed string property (VectorStoreData(IsFullTextIndexed = true)), so the collection '{Name}' has no full-text column to search.");
        }
    }

    private object ToParameter(ReadOnlyMemory<float> vector, string what = "the search vector", string paramName = "value")
    {
        if (_database.Options.VectorType == PostgresVectorType.Vector)
        {
            return new Vector(vector);
        }

        var halves = new Half[vector.Length];
        var span = vector.Span;
        for (var i = 0; i < halves.Length; i++)
        {
            halves[i] = (Half)span[i];
            if (Half.IsInfinity(halves[i]))
            {
                throw new ArgumentException(
                    $"The vector of {what} holds {span[i].ToString(CultureInfo.InvariantCulture)} at index {i} (property '{_model.Model.Vector.Name}' of '{typeof(TRecord).Name}'), beyond the ±65,504 a halfvec column holds. Scale the vectors, or store them as PostgresVectorType.Vector.",
                    paramName);
            }
        }

        return new HalfVector(halves);
    }

    private ReadOnlyMemory<float> QueryVector<TInput>(TInput value)
    {
        ReadOnlyMemory<float> query = value switch
        {
            ReadOnlyMemory<float> memory => memory,
            float[] array => array,
            Embedding<float> embedding => embedding.Vector,
            _ => throw new NotSupportedException($"The PostgreSQL vector store cannot search with a value of type '{typeof(TInput)}': pass ReadOnlyMemory<float>, float[] or Embedding<float> (no embedding generator is configured)."),
        };
        _model.Model.CheckDimensions(query.Length, "the search vector", nameof(value));
        VectorMetrics.CheckFinite(_model.Model, query.Span, "the search vector", nameof(value));
        return query;
    }

    private string Columns(bool includeVectors) => includeVectors ? _columnsWithVector : _columns;

    private string OrderBy(FilteredRecordRetrievalOptions<TRecord>? options)
    {
        var sorts = options?.OrderBy?.Invoke(new FilteredRecordRetrievalOptions<TRecord>.OrderByDefinition()).Values;
        if (sorts is null || sorts.Count == 0)
        {
            return _keyOrder;
        }

        return string.Join(", ", sorts.Select(s =>
        {
            var property = PostgresFilterTranslator.ResolveProperty(_model, s.PropertySelector);
            if (property.IsStringCollection)
            {
                throw new NotSupportedException($"Ordering by the list property '{property.Name}' is not supported.");
            }

            return (property.IsText ? $"{property.QuotedColumn} COLLATE \"C\"" : property.QuotedColumn) + (s.Ascending ? " ASC" : " DESC");
        }).Append(_keyOrder));
    }

    private void CheckVectorProperty(Expression<Func<TRecord, object?>>? selector)
    {
        if (selector is null)
        {
            return;
        }

        var body = selector.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : selector.Body;
        if (body is not MemberExpression { Member.Name: var name } || name != _model.Model.Vector.Name)
        {
            throw new InvalidOperationException($"The VectorProperty selector '{selector}' does not select the vector property '{_model.Model.Vector.Name}' of '{typeof(TRecord).Name}'.");
        }
    }

    private static void AddParameters(NpgsqlCommand command, IReadOnlyList<NpgsqlParameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter.Clone());
        }
    }

    /// <summary>Checks once per collection object that the collection exists and matches the record model.</summary>
    private async Task VerifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (_verified)
        {
            return;
        }

        if (!await _schema.VerifyAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
        {
            throw Missing(operation: null);
        }

        _verified = true;
    }

    private static IAsyncEnumerable<T> YieldAsync<T>(Func<Task<List<T>>> read, CancellationToken cancellationToken)
    {
        return Iterate(cancellationToken);

        async IAsyncEnumerable<T> Iterate([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            // Read whole before yielding: the connection goes back to the pool before the caller's code runs.
            var items = await read().ConfigureAwait(false);
            foreach (var item in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return item;
            }
        }
    }

    private async Task<T> RunAsync<T>(string operation, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await _database.RunAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Deleted through another collection object or process after this one checked it.
            _verified = false;
            throw Missing(operation, ex);
        }
        catch (NpgsqlException ex)
        {
            throw new VectorStoreException(FailureMessage(operation, Name, _database.Name, ex), ex)
            {
                VectorStoreSystemName = PostgresVectorStore.SystemName,
                VectorStoreName = _database.Name,
                CollectionName = Name,
                OperationName = operation,
            };
        }
    }

    /// <summary>
    /// The message of a failed operation; a timeout says which setting to raise, and for <c>EnsureCollectionExistsAsync</c>
    /// that building a vector index over rows already in the table is the likely reason.
    /// </summary>
    internal static string FailureMessage(string operation, string collection, string database, NpgsqlException exception)
    {
        var message = $"PostgreSQL failed during {operation} on collection '{collection}' in {database}: {exception.Message}";
        if (exception.InnerException is not TimeoutException)
        {
            return message;
        }

        return message + (operation == nameof(EnsureCollectionExistsAsync)
            ? " The statement ran longer than the connection string's Command Timeout (30 s unless set): building a vector index over the rows already in the table takes minutes for large tables. Make that call with Command Timeout=0 in the connection string, or build the index yourself with CREATE INDEX CONCURRENTLY (docs/scale-out.md)."
            : " The statement ran longer than the connection string's Command Timeout (30 s unless set): raise it, or give the collection a vector index.");
    }

    private VectorStoreException Missing(string? operation, Exception? inner = null) =>
        new($"The collection '{Name}' does not exist in {_database.Name}. Call EnsureCollectionExistsAsync before using it.", inner)
        {
            VectorStoreSystemName = PostgresVectorStore.SystemName,
            VectorStoreName = _database.Name,
            CollectionName = Name,
            OperationName = operation,
        };

    private void ThrowIfDisposed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _database.ThrowIfDisposed();
    }
}
