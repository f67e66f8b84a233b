using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AiEng.Retrieval;

/// <summary>
/// The hot loop of a search: steps through <c>rowid, key, vector</c> rows with SQLitePCLRaw directly, so each vector is
/// scored straight from SQLite's row buffer.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite's reader copies every BLOB into a new array, which for a scan of n vectors allocates n arrays and
/// dominates the time. The statement runs on the same connection handle, inside the caller's read transaction.
/// </remarks>
internal static class SqliteVectorScan
{
    /// <summary>Runs <paramref name="sql"/> (columns: rowid, key, vector) and offers every row that passes the threshold to <paramref name="heap"/>.</summary>
    public static void Run<TKey>(SqliteConnection connection, string sql, IReadOnlyList<SqliteParameter> parameters, SqliteProperty key, VectorScorer scorer, ReadOnlySpan<float> query, double? threshold, TopKHeap<TKey> heap, string collection, CancellationToken cancellationToken)
        where TKey : notnull
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            foreach (var parameter in parameters)
            {
                Bind(db, statement, parameter);
            }

            var expectedBytes = query.Length * sizeof(float);
            var rows = 0;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                if ((++rows & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var blob = raw.sqlite3_column_blob(statement, 2);
                if (blob.Length != expectedBytes)
                {
                    throw new InvalidOperationException($"A stored vector of collection '{collection}' has {blob.Length} bytes; expected {expectedBytes} ({query.Length} float32 values). The file was changed outside the store.");
                }

                var score = scorer.Score(query, MemoryMarshal.Cast<byte, float>(blob));
                if (scorer.Passes(score, threshold))
                {
                    heap.Offer(score, raw.sqlite3_column_int64(statement, 0), s => (TKey)ReadKey(s, key), statement);
                }
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }
    }

    private static object ReadKey(sqlite3_stmt statement, SqliteProperty key) => key.Kind switch
    {
        SqliteValueKind.Int32 => raw.sqlite3_column_int(statement, 1),
        SqliteValueKind.Int64 => raw.sqlite3_column_int64(statement, 1),
        SqliteValueKind.Guid => Guid.Parse(raw.sqlite3_column_text(statement, 1).utf8_to_string()),
        _ => raw.sqlite3_column_text(statement, 1).utf8_to_string(),
    };

    private static void Bind(sqlite3 db, sqlite3_stmt statement, SqliteParameter parameter)
    {
        var index = raw.sqlite3_bind_parameter_index(statement, parameter.ParameterName);
        if (index == 0)
        {
            throw new InvalidOperationException($"The filter parameter '{parameter.ParameterName}' is not in the statement.");
        }

        var rc = parameter.Value switch
        {
            null or DBNull => raw.sqlite3_bind_null(statement, index),
            long value => raw.sqlite3_bind_int64(statement, index, value),
            int value => raw.sqlite3_bind_int64(statement, index, value),
            double value => raw.sqlite3_bind_double(statement, index, value),
            string value => raw.sqlite3_bind_text(statement, index, value),
            var other => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Unexpected filter parameter type '{other.GetType()}'.")),
        };
        SqliteException.ThrowExceptionForRC(rc, db);
    }
}
