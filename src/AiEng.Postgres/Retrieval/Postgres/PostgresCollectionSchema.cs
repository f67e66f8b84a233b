using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiEng.Retrieval;

/// <summary>
/// The table of one collection: the SQL that creates it (columns, vector index, generated <c>tsvector</c> column and its
/// GIN index, catalog row), and the checks that compare an existing table with the record model, reading the server's
/// catalogs (<c>pg_attribute</c> with <c>format_type</c>, <c>pg_indexes</c>, the generated column's expression).
/// </summary>
internal sealed class PostgresCollectionSchema
{
    /// <summary>The generated <c>tsvector</c> column full-text search reads.</summary>
    public const string SearchColumn = "aieng_search";

    /// <summary>The number of rows of the statistics table concurrent writers spread their updates over.</summary>
    private const int StatisticsSlots = 16;

    private readonly PostgresDatabase _database;
    private readonly PostgresRecordModel _model;
    private readonly string _name;

    public PostgresCollectionSchema(PostgresDatabase database, PostgresRecordModel model, string name)
    {
        _database = database;
        _model = model;
        _name = name;
        Table = $"{database.Schema}.{PostgresSql.Quote(name)}";
        VectorSqlType = $"{(database.Options.VectorType == PostgresVectorType.HalfVector ? "halfvec" : "vector")}({model.Dimensions.ToString(CultureInfo.InvariantCulture)})";
        OperatorClass = $"{(database.Options.VectorType == PostgresVectorType.HalfVector ? "halfvec" : "vector")}_{model.Metric switch
        {
            VectorMetric.CosineSimilarity or VectorMetric.CosineDistance => "cosine",
            VectorMetric.DotProductSimilarity or VectorMetric.NegativeDotProductSimilarity => "ip",
            _ => "l2",
        }}_ops";
    }

    /// <summary>Gets the quoted, schema-qualified table.</summary>
    public string Table { get; }

    /// <summary>Gets the vector column type, as <c>format_type</c> spells it (for example <c>vector(384)</c>).</summary>
    public string VectorSqlType { get; }

    /// <summary>Gets the operator class the vector index needs for the model's distance function (for example <c>vector_cosine_ops</c>).</summary>
    public string OperatorClass { get; }

    /// <summary>
    /// Gets the quoted, schema-qualified table of keyword statistics (documents and the sum of their distinct-lexeme counts,
    /// for BM25's collection size and average length), kept by statement triggers on <see cref="Table"/> in the writing
    /// transaction. Writers add to one of <see cref="StatisticsSlots"/> rows chosen by their backend, so concurrent writers
    /// rarely wait on one another; readers sum the rows.
    /// </summary>
    public string StatisticsTable => StatisticsTableOf(_database, _name);

    /// <summary>Gets a value indicating whether the table has a generated <c>tsvector</c> column (the record type has full-text-indexed string properties).</summary>
    public bool HasSearchColumn => _model.TextColumns.Count > 0;

    private string Config => _database.Options.TextSearchConfiguration;

    private string StatisticsFunction => StatisticsFunctionOf(_database, _name);

    /// <summary>Whether the collection is in the catalog.</summary>
    public async Task<bool> ExistsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = PostgresDatabase.Command(connection, transaction, $"SELECT distance_function FROM {_database.Catalog} WHERE name = @name AND to_regclass(@table) IS NOT NULL");
        command.Parameters.AddWithValue("name", _name);
        command.Parameters.AddWithValue("table", Table);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Creates the table when missing; otherwise checks it, adds the columns of new data properties, and creates missing indexes.</summary>
    /// <exception cref="VectorStoreException">The existing table differs from the record model (the message says what and how to migrate).</exception>
    public async Task CreateOrCheckAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // One creator at a time per collection, across processes: the lock ends with the transaction.
        await using (var lockCommand = PostgresDatabase.Command(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended(@table, 0))"))
        {
            lockCommand.Parameters.AddWithValue("table", Table);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var columns = await ColumnsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var sql = new StringBuilder();
        if (columns.Count == 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {Table} ({_model.Key.QuotedColumn} {_model.Key.SqlType} NOT NULL PRIMARY KEY");
            foreach (var data in _model.Data)
            {
                sql.Append(CultureInfo.InvariantCulture, $", {data.QuotedColumn} {data.SqlType}");
            }

            sql.Append(CultureInfo.InvariantCulture, $", {_model.VectorColumn} {VectorSqlType} NOT NULL");
            if (HasSearchColumn)
            {
                sql.Append(CultureInfo.InvariantCulture, $", {PostgresSql.Quote(SearchColumn)} tsvector GENERATED ALWAYS AS ({SearchExpression()}) STORED");
            }

            sql.Append(");");
        }
        else
        {
            var catalog = await CatalogAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            Check(columns, catalog, await IndexesAsync(connection, transaction, cancellationToken).ConfigureAwait(false), await SearchExpressionAsync(connection, transaction, cancellationToken).ConfigureAwait(false), creating: true);

            // Data properties added to the record type since the table was created get a new (null) column.
            foreach (var data in _model.Data.Where(d => !columns.ContainsKey(d.ColumnName)))
            {
                sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE {Table} ADD COLUMN {data.QuotedColumn} {data.SqlType};");
            }

            if (HasSearchColumn && !columns.ContainsKey(SearchColumn))
            {
                sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE {Table} ADD COLUMN {PostgresSql.Quote(SearchColumn)} tsvector GENERATED ALWAYS AS ({SearchExpression()}) STORED;");
            }
        }

        foreach (var data in _model.Data.Where(d => d.Property.IsIndexed))
        {
            var method = data.IsStringCollection ? "gin" : "btree";
            sql.Append(CultureInfo.InvariantCulture, $"CREATE INDEX IF NOT EXISTS {IndexName(data.ColumnName)} ON {Table} USING {method} ({data.QuotedColumn});");
        }

        if (HasSearchColumn)
        {
            sql.Append(CultureInfo.InvariantCulture, $"CREATE INDEX IF NOT EXISTS {IndexName(SearchColumn)} ON {Table} USING gin ({PostgresSql.Quote(SearchColumn)});");
            if (!await StatisticsExistAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
            {
                sql.Append(StatisticsSql());
            }
        }

        if (_model.IndexKind != PostgresIndexKind.Flat)
        {
            var options = _database.Options;
            var (method, with) = _model.IndexKind == PostgresIndexKind.Hnsw
                ? ("hnsw", string.Join(", ", new[] { options.HnswM is { } m ? $"m = {m.ToString(CultureInfo.InvariantCulture)}" : null, options.HnswEfConstruction is { } ef ? $"ef_construction = {ef.ToString(CultureInfo.InvariantCulture)}" : null }.OfType<string>()))
                : ("ivfflat", options.IvfFlatLists is { } lists ? $"lists = {lists.ToString(CultureInfo.InvariantCulture)}" : string.Empty);
            sql.Append(CultureInfo.InvariantCulture, $"CREATE INDEX IF NOT EXISTS {IndexName(_model.VectorColumnName + "_" + method)} ON {Table} USING {method} ({_model.VectorColumn} {OperatorClass}){(with.Length == 0 ? string.Empty : $" WITH ({with})")};");
        }

        sql.Append(CultureInfo.InvariantCulture, $"""
            INSERT INTO {_database.Catalog} (name, table_name, key_type, vector_column, vector_type, dimensions, distance_function, index_kind)
            VALUES (@name, @table, @key, @vector, @vectorType, @dimensions, @distance, @index)
            ON CONFLICT (name) DO NOTHING;
            """);
        await using var command = PostgresDatabase.Command(connection, transaction, sql.ToString());
        command.Parameters.AddWithValue("name", _name);
        command.Parameters.AddWithValue("table", Table);
        command.Parameters.AddWithValue("key", _model.Key.SqlType);
        command.Parameters.AddWithValue("vector", _model.VectorColumnName);
        command.Parameters.AddWithValue("vectorType", VectorSqlType);
        command.Parameters.AddWithValue("dimensions", _model.Dimensions);
        command.Parameters.AddWithValue("distance", _model.Metric.ToString());
        command.Parameters.AddWithValue("index", _model.IndexKind.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks that the collection exists and matches the record model.</summary>
    /// <returns><see langword="false"/> when the collection does not exist.</returns>
    /// <exception cref="VectorStoreException">The table differs from the record model.</exception>
    public async Task<bool> VerifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var catalog = await CatalogAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var columns = await ColumnsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (catalog is null || columns.Count == 0)
        {
            return false;
        }

        Check(columns, catalog, await IndexesAsync(connection, transaction, cancellationToken).ConfigureAwait(false), await SearchExpressionAsync(connection, transaction, cancellationToken).ConfigureAwait(false), creating: false);
        if (HasSearchColumn && !await StatisticsExistAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
        {
            throw new VectorStoreException(
                $"The collection '{_name}' (table {Table} in {_database.Name}) has no keyword statistics table {StatisticsTable}, which BM25 keyword and hybrid search read (it was created by an earlier version). To migrate: call EnsureCollectionExistsAsync once; it creates the table and its triggers and counts the existing rows.")
            {
                VectorStoreSystemName = PostgresVectorStore.SystemName,
                VectorStoreName = _database.Name,
                CollectionName = _name,
            };
        }

        return true;
    }

    /// <summary>Drops the table, its keyword statistics and its catalog row; does nothing when there are none.</summary>
    public static async Task DeleteAsync(PostgresDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = PostgresDatabase.Command(connection, transaction, $"DELETE FROM {database.Catalog} WHERE name = @name; DROP TABLE IF EXISTS {database.Schema}.{PostgresSql.Quote(name)}; DROP TABLE IF EXISTS {StatisticsTableOf(database, name)}; DROP FUNCTION IF EXISTS {StatisticsFunctionOf(database, name)}();");
        command.Parameters.AddWithValue("name", name);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the collections of the store's schema, in ordinal order.</summary>
    public static async Task<List<string>> ListAsync(PostgresDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = PostgresDatabase.Command(connection, transaction, $"SELECT name FROM {database.Catalog} WHERE to_regclass(table_name) IS NOT NULL ORDER BY name COLLATE \"C\"");
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private void Check(Dictionary<string, string> columns, string? catalogDistance, List<string> indexes, string? searchExpression, bool creating)
    {
        var problems = new List<string>();
        var fixes = new List<string>();
        if (!columns.TryGetValue(_model.VectorColumnName, out var vectorType))
        {
            problems.Add($"it has no vector column '{_model.VectorColumnName}'");
            fixes.Add("drop the table and ingest again, or ALTER TABLE ... RENAME COLUMN to the record definition's storage name");
        }
        else if (vectorType != VectorSqlType)
        {
            problems.Add($"its vector column '{_model.VectorColumnName}' is {vectorType}, but the record definition and store options need {VectorSqlType}");
            fixes.Add(vectorType.StartsWith(VectorSqlType.Split('(')[0], StringComparison.Ordinal)
                ? $"a different dimension means a different embedding model: drop the table (store.EnsureCollectionDeletedAsync(\"{_name}\")) and ingest again with the new model, or open it with {vectorType.Split('(')[1].TrimEnd(')')} dimensions"
                : $"convert it in place with ALTER TABLE {Table} ALTER COLUMN {_model.VectorColumn} TYPE {VectorSqlType} (dropping its vector index first), or set PostgresVectorStoreOptions.VectorType to match");
        }

        if (columns.TryGetValue(_model.Key.ColumnName, out var keyType) && keyType != _model.Key.SqlType)
        {
            problems.Add($"its key column '{_model.Key.ColumnName}' is {keyType}, but the record's key needs {_model.Key.SqlType}");
            fixes.Add("open it with the key type it was created with, or drop the table and ingest again");
        }
        else if (keyType is null)
        {
            problems.Add($"it has no key column '{_model.Key.ColumnName}'");
            fixes.Add("drop the table and ingest again");
        }

        foreach (var data in _model.Data)
        {
            if (columns.TryGetValue(data.ColumnName, out var type) && type != data.SqlType)
            {
                problems.Add($"its column '{data.ColumnName}' is {type}, but property '{data.Name}' needs {data.SqlType}");
                fixes.Add($"ALTER TABLE {Table} ALTER COLUMN {data.QuotedColumn} TYPE {data.SqlType} USING {data.QuotedColumn}::{data.SqlType}");
            }
            else if (type is null && !creating)
            {
                problems.Add($"it has no column '{data.ColumnName}' for property '{data.Name}'");
                fixes.Add("call EnsureCollectionExistsAsync once: it adds the columns of new data properties");
            }
        }

        if (catalogDistance is not null && catalogDistance != _model.Metric.ToString())
        {
            problems.Add($"it was created for the distance function {catalogDistance}, but the record definition uses {_model.Metric}");
            fixes.Add($"open it with DistanceFunction.{catalogDistance}, or drop the table and ingest again (or UPDATE {_database.Catalog} SET distance_function = '{_model.Metric}' and recreate its vector index with {OperatorClass})");
        }

        foreach (var index in indexes.Where(i => i.Contains("USING hnsw", StringComparison.Ordinal) || i.Contains("USING ivfflat", StringComparison.Ordinal)))
        {
            if (!index.Contains(OperatorClass, StringComparison.Ordinal))
            {
                problems.Add($"its vector index is '{index}', but the record definition's distance function {_model.Metric} needs the operator class {OperatorClass}");
                fixes.Add("DROP INDEX that index, then call EnsureCollectionExistsAsync to build the right one");
            }
        }

        if (HasSearchColumn && searchExpression is not null && !searchExpression.Contains($"'{Config}'::regconfig", StringComparison.Ordinal))
        {
            problems.Add($"its full-text column '{SearchColumn}' is generated as {searchExpression}, but the store is configured for the text search configuration '{Config}'");
            fixes.Add($"ALTER TABLE {Table} DROP COLUMN {PostgresSql.Quote(SearchColumn)}, then call EnsureCollectionExistsAsync to generate it again (or set TextSearchConfiguration to match)");
        }

        if (problems.Count > 0)
        {
            throw new VectorStoreException(
                $"The collection '{_name}' (table {Table} in {_database.Name}) does not match the record type '{_model.RecordType.Name}': {string.Join("; ", problems)}. To migrate: {string.Join("; ", fixes.Distinct())}.")
            {
                VectorStoreSystemName = PostgresVectorStore.SystemName,
                VectorStoreName = _database.Name,
                CollectionName = _name,
            };
        }
    }

    /// <summary>
    /// The statistics table, its trigger function and the three statement triggers (with transition tables) that keep it,
    /// then the count of the rows already in the table. Creating the triggers locks the table against writers until the
    /// transaction ends, so no write can fall between the triggers and the count.
    /// </summary>
    private string StatisticsSql()
    {
        var search = PostgresSql.Quote(SearchColumn);
        var slots = StatisticsSlots.ToString(CultureInfo.InvariantCulture);
        string Add(string sign, string rows) => $"""
            INSERT INTO {StatisticsTable} AS s (slot, documents, lexemes)
                SELECT pg_backend_pid() % {slots}, {sign}count(*), {sign}coalesce(sum(length({search})), 0) FROM {rows}
                ON CONFLICT (slot) DO UPDATE SET documents = s.documents + excluded.documents, lexemes = s.lexemes + excluded.lexemes;
            """;
        return $"""
            CREATE TABLE IF NOT EXISTS {StatisticsTable} (slot integer NOT NULL PRIMARY KEY, documents bigint NOT NULL, lexemes bigint NOT NULL);
            CREATE OR REPLACE FUNCTION {StatisticsFunction}() RETURNS trigger LANGUAGE plpgsql AS $aieng_stats$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    {Add("-", "aieng_old")}
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    {Add(string.Empty, "aieng_new")}
                END IF;
                RETURN NULL;
            END
            $aieng_stats$;
            DROP TRIGGER IF EXISTS aieng_stats_insert ON {Table};
            DROP TRIGGER IF EXISTS aieng_stats_update ON {Table};
            DROP TRIGGER IF EXISTS aieng_stats_delete ON {Table};
            CREATE TRIGGER aieng_stats_insert AFTER INSERT ON {Table} REFERENCING NEW TABLE AS aieng_new FOR EACH STATEMENT EXECUTE FUNCTION {StatisticsFunction}();
            CREATE TRIGGER aieng_stats_update AFTER UPDATE ON {Table} REFERENCING OLD TABLE AS aieng_old NEW TABLE AS aieng_new FOR EACH STATEMENT EXECUTE FUNCTION {StatisticsFunction}();
            CREATE TRIGGER aieng_stats_delete AFTER DELETE ON {Table} REFERENCING OLD TABLE AS aieng_old FOR EACH STATEMENT EXECUTE FUNCTION {StatisticsFunction}();
            DELETE FROM {StatisticsTable};
            INSERT INTO {StatisticsTable} (slot, documents, lexemes) SELECT 0, count(*), coalesce(sum(length({search})), 0) FROM {Table};
            """;
    }

    private async Task<bool> StatisticsExistAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = PostgresDatabase.Command(connection, transaction, "SELECT to_regclass(@table) IS NOT NULL");
        command.Parameters.AddWithValue("table", StatisticsTable);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    private string SearchExpression()
    {
        var text = string.Join(" || ' ' || ", _model.TextColumns.Select(c => $"coalesce({c.QuotedColumn}, '')"));
        return $"to_tsvector('{Config}'::regconfig, {text})";
    }

    private static string StatisticsTableOf(PostgresDatabase database, string collection) => $"{database.Schema}.{ObjectName(collection, "aieng_stats")}";

    private static string StatisticsFunctionOf(PostgresDatabase database, string collection) => $"{database.Schema}.{ObjectName(collection, "aieng_stats_fn")}";

    private string IndexName(string suffix) => ObjectName(_name, $"{suffix}_idx");

    /// <summary>The quoted name of an object that belongs to a collection's table: <c>{collection}_{suffix}</c>, hashed when too long.</summary>
    private static string ObjectName(string collection, string suffix)
    {
        var name = $"{collection}_{suffix}";
        if (Encoding.UTF8.GetByteCount(name) > PostgresSql.MaxIdentifierBytes)
        {
            // PostgreSQL truncates long names; a hash keeps truncated names apart.
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12];
            name = $"aieng_{hash}_{suffix.Split('_')[^1]}";
        }

        return PostgresSql.Quote(name);
    }

    private async Task<Dictionary<string, string>> ColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = PostgresDatabase.Command(connection, transaction, "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass(@table) AND attnum > 0 AND NOT attisdropped");
        command.Parameters.AddWithValue("table", Table);
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns[reader.GetString(0)] = reader.GetString(1);
        }

        return columns;
    }

    private async Task<string?> CatalogAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = PostgresDatabase.Command(connection, transaction, $"SELECT distance_function FROM {_database.Catalog} WHERE name = @name");
        command.Parameters.AddWithValue("name", _name);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private async Task<List<string>> IndexesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = PostgresDatabase.Command(connection, transaction, "SELECT indexdef FROM pg_indexes WHERE schemaname = @schema AND tablename = @table");
        command.Parameters.AddWithValue("schema", _database.Options.Schema);
        command.Parameters.AddWithValue("table", _name);
        var indexes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            indexes.Add(reader.GetString(0));
        }

        return indexes;
    }

    private async Task<string?> SearchExpressionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = PostgresDatabase.Command(connection, transaction, "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = to_regclass(@table) AND a.attname = @column");
        command.Parameters.AddWithValue("table", Table);
        command.Parameters.AddWithValue("column", SearchColumn);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }
}
