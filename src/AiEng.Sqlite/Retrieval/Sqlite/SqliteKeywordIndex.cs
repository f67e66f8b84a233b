using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AiEng.Retrieval;

/// <summary>
/// The BM25 keyword index of one SQLite collection, kept in three tables beside the records and written in the same
/// transactions: <c>&lt;table&gt;_kw_docs</c> (record rowid, length in terms), <c>&lt;table&gt;_kw_postings</c> (term,
/// rowid, term frequency) and <c>&lt;table&gt;_kw_stats</c> (number of documents, total length).
/// </summary>
/// <remarks>
/// Text is the record's full-text-indexed string properties joined by spaces, analysed by AiEng's English analyser; scores
/// use the same BM25 arithmetic (k1 0.9, b 0.4, Lucene's length rounding) as the in-memory index, so they are equal. Nothing
/// is cached in memory: every search reads the index as committed, so another process's writes are seen at once, and a
/// restart rebuilds nothing.
/// </remarks>
internal sealed class SqliteKeywordIndex
{
    private readonly Bm25Options _bm25 = new();
    private readonly string _records;
    private readonly string _docs;
    private readonly string _postings;
    private readonly string _stats;
    private readonly string _docsName;

    /// <summary>Initializes a new instance of the <see cref="SqliteKeywordIndex"/> class for the records table <paramref name="tableName"/>.</summary>
    public SqliteKeywordIndex(string tableName, IReadOnlyList<int> textColumns)
    {
        TextColumns = textColumns;
        _records = SqliteSql.Quote(tableName);
        _docsName = tableName + "_kw_docs";
        _docs = SqliteSql.Quote(_docsName);
        _postings = SqliteSql.Quote(tableName + "_kw_postings");
        _stats = SqliteSql.Quote(tableName + "_kw_stats");
    }

    /// <summary>Gets the positions, among the model's data properties, of the full-text-indexed string properties.</summary>
    public IReadOnlyList<int> TextColumns { get; }

    /// <summary>The SQL that drops the keyword tables of records table <paramref name="tableName"/>.</summary>
    public static string DropSql(string tableName) =>
        $"DROP TABLE IF EXISTS {SqliteSql.Quote(tableName + "_kw_postings")}; DROP TABLE IF EXISTS {SqliteSql.Quote(tableName + "_kw_docs")}; DROP TABLE IF EXISTS {SqliteSql.Quote(tableName + "_kw_stats")};";

    /// <summary>The text a record is indexed by: its full-text values joined by spaces (BM25 ignores term order).</summary>
    public string TextOf(object?[] data) => string.Join(' ', TextColumns.Select(i => data[i] as string).Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>Whether the keyword tables exist.</summary>
    public async Task<bool> ExistsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = @name;");
        command.Parameters.AddWithValue("@name", _docsName);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>
    /// Creates the keyword tables when they are missing and indexes every record already in the collection (a file written
    /// before the store kept a keyword index); does nothing when they exist. Runs in a write transaction.
    /// </summary>
    public async Task EnsureAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> textColumnNames, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await using (var create = Command(connection, transaction, $"""
            CREATE TABLE {_docs} (doc INTEGER NOT NULL PRIMARY KEY, length INTEGER NOT NULL) STRICT;
            CREATE TABLE {_postings} (term TEXT NOT NULL, doc INTEGER NOT NULL, tf INTEGER NOT NULL, PRIMARY KEY (term, doc)) STRICT, WITHOUT ROWID;
            CREATE INDEX {SqliteSql.Quote(_docsName + "_postings_doc")} ON {_postings} (doc);
            CREATE TABLE {_stats} (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), documents INTEGER NOT NULL, total_length INTEGER NOT NULL) STRICT;
            INSERT INTO {_stats} (id, documents, total_length) VALUES (1, 0, 0);
            """))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var existing = new List<(long RowId, string Text)>();
        string columns = textColumnNames.Count == 0 ? "''" : string.Join(", ", textColumnNames.Select(SqliteSql.Quote));
        await using (var read = Command(connection, transaction, $"SELECT rowid, {columns} FROM {_records};"))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var values = new object?[textColumnNames.Count];
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = reader.IsDBNull(i + 1) ? null : reader.GetString(i + 1);
                }

                existing.Add((reader.GetInt64(0), string.Join(' ', values.OfType<string>().Where(s => s.Length > 0))));
            }
        }

        var delta = new StatsDelta();
        foreach (var (rowId, text) in existing)
        {
            await IndexAsync(connection, transaction, rowId, text, delta, cancellationToken).ConfigureAwait(false);
        }

        await delta.SaveAsync(this, connection, transaction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the document of <paramref name="rowId"/> from the index, if it is there.</summary>
    public async Task RemoveAsync(SqliteConnection connection, SqliteTransaction transaction, long rowId, StatsDelta delta, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"DELETE FROM {_docs} WHERE doc = @doc RETURNING length;");
        command.Parameters.AddWithValue("@doc", rowId);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long length)
        {
            command.CommandText = $"DELETE FROM {_postings} WHERE doc = @doc;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            delta.Documents--;
            delta.TotalLength -= length;
        }
    }

    /// <summary>Indexes <paramref name="text"/> as the document of <paramref name="rowId"/>, which must not be indexed.</summary>
    public async Task IndexAsync(SqliteConnection connection, SqliteTransaction transaction, long rowId, string text, StatsDelta delta, CancellationToken cancellationToken)
    {
        var terms = EnglishAnalyzer.Analyze(text);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string analyzed in terms)
        {
            counts[analyzed] = counts.GetValueOrDefault(analyzed) + 1;
        }

        await using var command = Command(connection, transaction, $"INSERT INTO {_docs} (doc, length) VALUES (@doc, @length);");
        command.Parameters.AddWithValue("@doc", rowId);
        command.Parameters.AddWithValue("@length", terms.Count);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        command.CommandText = $"INSERT INTO {_postings} (term, doc, tf) VALUES (@term, @doc, @tf);";
        var term = command.Parameters.Add("@term", SqliteType.Text);
        var tf = command.Parameters.Add("@tf", SqliteType.Integer);
        foreach (var (value, frequency) in counts)
        {
            term.Value = value;
            tf.Value = frequency;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        delta.Documents++;
        delta.TotalLength += terms.Count;
    }

    /// <summary>
    /// Scores the documents that hold a term of <paramref name="query"/> and pass <paramref name="where"/> (SQL over the
    /// records table), and returns the best <paramref name="top"/> rowids, best first; ties go to the lower rowid.
    /// </summary>
    public async Task<List<(long RowId, float Score)>> SearchAsync(
        SqliteConnection connection, SqliteTransaction transaction, string query, int top, string where, IReadOnlyList<SqliteParameter> parameters, CancellationToken cancellationToken)
    {
        var queryTerms = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string term in EnglishAnalyzer.Analyze(query))
        {
            queryTerms[term] = queryTerms.GetValueOrDefault(term) + 1;
        }

        var (documents, totalLength) = await StatsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var scores = new Dictionary<long, float>();
        if (queryTerms.Count == 0 || documents == 0)
        {
            return [];
        }

        double averageLength = totalLength / (double)documents;
        double k1 = _bm25.K1;
        double b = _bm25.B;
        string filter = where == "1" ? string.Empty : $" AND p.doc IN (SELECT rowid FROM {_records} WHERE {where})";
        await using var frequency = Command(connection, transaction, $"SELECT COUNT(*) FROM {_postings} WHERE term = @term;");
        var frequencyTerm = frequency.Parameters.Add("@term", SqliteType.Text);
        await using var postings = Command(connection, transaction, $"SELECT p.doc, p.tf, d.length FROM {_postings} p JOIN {_docs} d ON d.doc = p.doc WHERE p.term = @term{filter};");
        foreach (var parameter in parameters)
        {
            postings.Parameters.Add(new SqliteParameter(parameter.ParameterName, parameter.Value));
        }

        var postingsTerm = postings.Parameters.Add("@term", SqliteType.Text);
        foreach (var (term, count) in queryTerms)
        {
            frequencyTerm.Value = term;
            int df = Convert.ToInt32(await frequency.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (df == 0)
            {
                continue;
            }

            double idf = Bm25Scoring.Idf(documents, df);
            float boost = count;
            postingsTerm.Value = term;
            await using var reader = await postings.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                long doc = reader.GetInt64(0);
                double scoredLength = Bm25Scoring.ScoredLength(reader.GetInt32(2), _bm25.LuceneLengthEncoding);
                scores[doc] = scores.GetValueOrDefault(doc) + (boost * Bm25Scoring.Weight(idf, reader.GetInt32(1), scoredLength, averageLength, k1, b));
            }
        }

        return [.. scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key).Take(top).Select(s => (s.Key, s.Value))];
    }

    private async Task<(int Documents, long TotalLength)> StatsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT documents, total_length FROM {_stats} WHERE id = 1;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt32(0), reader.GetInt64(1)) : (0, 0);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>The change a write transaction makes to the index statistics, saved once at its end.</summary>
    internal sealed class StatsDelta
    {
        /// <summary>Gets or sets the change in the number of documents.</summary>
        public int Documents { get; set; }

        /// <summary>Gets or sets the change in the total length.</summary>
        public long TotalLength { get; set; }

        /// <summary>Adds the change to the statistics row.</summary>
        public async Task SaveAsync(SqliteKeywordIndex index, SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, transaction, $"UPDATE {index._stats} SET documents = documents + @documents, total_length = total_length + @length WHERE id = 1;");
            command.Parameters.AddWithValue("@documents", Documents);
            command.Parameters.AddWithValue("@length", TotalLength);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
