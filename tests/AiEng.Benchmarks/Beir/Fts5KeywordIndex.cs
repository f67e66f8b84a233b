using AiEng.Retrieval;
using Microsoft.Data.Sqlite;

namespace AiEng.Benchmarks.Beir;

/// <summary>
/// SQLite FTS5 as a BM25 keyword retriever, for the comparison in docs/retrieval.md: one in-memory FTS5 table with the
/// <c>porter unicode61</c> tokenizer over title + text, ranked by FTS5's built-in <c>bm25()</c> (k1 1.2, b 0.75, fixed).
/// A query is its words OR-ed together (FTS5 ANDs bare terms), each quoted so FTS5 syntax in a query stays literal.
/// </summary>
internal sealed class Fts5KeywordIndex : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _search;

    private Fts5KeywordIndex(SqliteConnection connection)
    {
        _connection = connection;
        _search = connection.CreateCommand();
        _search.CommandText = "SELECT id, bm25(docs) FROM docs WHERE docs MATCH $query ORDER BY bm25(docs) LIMIT $top";
        _search.Parameters.Add("$query", SqliteType.Text);
        _search.Parameters.Add("$top", SqliteType.Integer);
    }

    public static Fts5KeywordIndex Build(IEnumerable<BeirDocument> corpus)
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize = 'porter unicode61')";
            create.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO docs (id, body) VALUES ($id, $body)";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var body = insert.Parameters.Add("$body", SqliteType.Text);
        foreach (var document in corpus)
        {
            id.Value = document.Id;
            body.Value = document.FullText;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return new Fts5KeywordIndex(connection);
    }

    public IReadOnlyList<SearchHit> Search(string query, int top)
    {
        var words = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()))
            .Where(w => w.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(w => "\"" + w + "\"")
            .ToArray();
        if (words.Length == 0)
        {
            return [];
        }

        _search.Parameters["$query"].Value = string.Join(" OR ", words);
        _search.Parameters["$top"].Value = top;
        var hits = new List<SearchHit>(top);
        using var reader = _search.ExecuteReader();
        while (reader.Read())
        {
            // bm25() is negative, more negative is better: negate it so higher is better like every other retriever.
            hits.Add(new SearchHit(reader.GetString(0), -reader.GetDouble(1)));
        }

        return hits;
    }

    public void Dispose()
    {
        _search.Dispose();
        _connection.Dispose();
    }
}
