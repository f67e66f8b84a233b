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
    /// <summary>
    /// Runs <paramref name="sql"/> (columns: rowid, key, vector) and returns the best <paramref name="capacity"/> rows that
    /// pass <paramref name="threshold"/>, best first, with their public scores. Ranking, scores and ties (smaller key
    /// first) are the shared store kernel's: <see cref="VectorMetrics"/> and <see cref="TopKHeap"/>.
    /// </summary>
    public static List<(long RowId, double Score)> Run<TKey>(SqliteConnection connection, string sql, IReadOnlyList<SqliteParameter> parameters, SqliteProperty key, IComparer<TKey> keyComparer, VectorMetric metric, ReadOnlySpan<float> query, int capacity, double? threshold, string collection, CancellationToken cancellationToken)
        where TKey : notnull
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var prepared = VectorMetrics.PrepareQuery(metric, query, new float[query.Length]);

        // The heap holds pool ids; the pool holds each candidate's key (for ties) and rowid. An id the heap releases
        // (evicted or rejected) is reused for the next candidate, so the pool never exceeds capacity + 1 entries.
        var keys = new List<TKey>();
        var rowIds = new List<long>();
        var heap = new TopKHeap(capacity, (a, b) => keyComparer.Compare(keys[a], keys[b]));
        var spare = -1;

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

                var score = VectorMetrics.Score(metric, prepared, MemoryMarshal.Cast<byte, float>(blob));

                // NaN fails this test too, so it is never kept.
                if (!(score >= heap.Threshold) || (threshold is not null && !VectorMetrics.Passes(metric, VectorMetrics.ToScore(metric, score), threshold)))
                {
                    continue;
                }

                var candidateKey = (TKey)ReadKey(statement, key);
                var rowId = raw.sqlite3_column_int64(statement, 0);
                var slot = spare >= 0 ? spare : keys.Count;
                if (slot == keys.Count)
                {
                    keys.Add(candidateKey);
                    rowIds.Add(rowId);
                }
                else
                {
                    keys[slot] = candidateKey;
                    rowIds[slot] = rowId;
                }

                spare = heap.OfferAndRelease(score, slot);
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }

        var ids = new int[heap.Count];
        var scores = new float[heap.Count];
        var count = heap.Drain(ids, scores);
        var ranked = new List<(long RowId, double Score)>(count);
        for (var i = 0; i < count; i++)
        {
            ranked.Add((rowIds[ids[i]], VectorMetrics.ToScore(metric, scores[i])));
        }

        return ranked;
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
