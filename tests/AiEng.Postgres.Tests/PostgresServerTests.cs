using AiEng.Postgres.Tests.TestSupport;
using Npgsql;
using Pgvector;

namespace AiEng.Postgres.Tests;

/// <summary>
/// What the PostgreSQL store will rely on, checked against the server the tests run (PGlite from npm, or the server named
/// by AIENG_POSTGRES_CONNECTION_STRING): pgvector's types, distances and indexes through Npgsql and Pgvector, and full-text
/// search over a generated tsvector column.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [PostgresFact]
    public async Task Vectors_round_trip_and_order_by_cosine_distance()
    {
        await using NpgsqlDataSource source = server.CreateDataSource();
        await WithTableAsync(source, "vectors", "(id int PRIMARY KEY, embedding vector(3))", async table =>
        {
            await using (var insert = source.CreateCommand($"INSERT INTO {table} VALUES ($1, $2), ($3, $4), ($5, $6)"))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = 1 });
                insert.Parameters.Add(new NpgsqlParameter { Value = new Vector(new float[] { 1, 0, 0 }) });
                insert.Parameters.Add(new NpgsqlParameter { Value = 2 });
                insert.Parameters.Add(new NpgsqlParameter { Value = new Vector(new float[] { 0, 1, 0 }) });
                insert.Parameters.Add(new NpgsqlParameter { Value = 3 });
                insert.Parameters.Add(new NpgsqlParameter { Value = new Vector(new float[] { 0.9f, 0.1f, 0 }) });
                await insert.ExecuteNonQueryAsync();
            }

            await using var query = source.CreateCommand($"SELECT id, embedding, embedding <=> $1 AS distance FROM {table} ORDER BY embedding <=> $1");
            query.Parameters.Add(new NpgsqlParameter { Value = new Vector(new float[] { 1, 0, 0 }) });
            var rows = new List<(int Id, float[] Vector, double Distance)>();
            await using (var reader = await query.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.GetInt32(0), reader.GetFieldValue<Vector>(1).ToArray(), reader.GetDouble(2)));
                }
            }

            Assert.Equal([1, 3, 2], rows.Select(row => row.Id));
            Assert.Equal([0.9f, 0.1f, 0f], rows[1].Vector);
            Assert.Equal(0.0, rows[0].Distance, 6);
            Assert.Equal(1 - (0.9 / Math.Sqrt(0.82)), rows[1].Distance, 5);
            Assert.Equal(1.0, rows[2].Distance, 6);
        });
    }

    [PostgresFact]
    public async Task Hnsw_and_ivfflat_indexes_are_built_and_used_with_their_search_settings()
    {
        await using NpgsqlDataSource source = server.CreateDataSource();
        await WithTableAsync(source, "indexed", "(id int PRIMARY KEY, embedding vector(2), half halfvec(2))", async table =>
        {
            await ExecuteAsync(source, $"INSERT INTO {table} SELECT i, ARRAY[cos(i), sin(i)]::vector, ARRAY[cos(i), sin(i)]::halfvec FROM generate_series(1, 200) AS i");
            await ExecuteAsync(source, $"CREATE INDEX ON {table} USING hnsw (embedding vector_cosine_ops) WITH (m = 8, ef_construction = 32)");
            await ExecuteAsync(source, $"CREATE INDEX ON {table} USING ivfflat (half halfvec_l2_ops) WITH (lists = 4)");

            // Sequential scans off, so the plans below can only be the indexes'.
            await using var connection = await source.OpenConnectionAsync();
            await ExecuteAsync(connection, "SET enable_seqscan = off; SET hnsw.ef_search = 20; SET ivfflat.probes = 4");
            string hnswPlan = await ScalarTextAsync(connection, $"EXPLAIN SELECT id FROM {table} ORDER BY embedding <=> '[1,0]' LIMIT 5");
            string ivfPlan = await ScalarTextAsync(connection, $"EXPLAIN SELECT id FROM {table} ORDER BY half <-> '[1,0]'::halfvec LIMIT 5");
            Assert.Contains("embedding_idx", hnswPlan, StringComparison.Ordinal);
            Assert.Contains("half_idx", ivfPlan, StringComparison.Ordinal);

            // The point at angle 0 is nearest to angles 2*pi*k: id 44 (44 rad is 0.0177 rad past 7 turns) comes first.
            await using var nearest = new NpgsqlCommand($"SELECT id FROM {table} ORDER BY embedding <=> '[1,0]' LIMIT 1", connection);
            Assert.Equal(44, (int)(await nearest.ExecuteScalarAsync())!);
            await ExecuteAsync(connection, "RESET enable_seqscan; RESET hnsw.ef_search; RESET ivfflat.probes");
        });
    }

    [PostgresFact]
    public async Task Full_text_search_matches_stemmed_words_through_a_generated_tsvector_column()
    {
        await using NpgsqlDataSource source = server.CreateDataSource();
        await WithTableAsync(source, "texts", "(id int PRIMARY KEY, body text, terms tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED)", async table =>
        {
            await ExecuteAsync(source, $"CREATE INDEX ON {table} USING gin (terms)");
            await ExecuteAsync(source, $"INSERT INTO {table} (id, body) VALUES (1, 'The cats are sleeping'), (2, 'A dog barks'), (3, 'One cat sleeps, one cat eats')");

            await using var query = source.CreateCommand(
                $"SELECT id FROM {table} WHERE terms @@ plainto_tsquery('english', $1) ORDER BY ts_rank_cd(terms, plainto_tsquery('english', $1)) DESC, id");
            query.Parameters.Add(new NpgsqlParameter { Value = "cat" });
            var ids = new List<int>();
            await using (var reader = await query.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetInt32(0));
                }
            }

            Assert.Equal([3, 1], ids);
        });
    }

    /// <summary>Creates a uniquely named table with <paramref name="columns"/> (the vector extension enabled), runs <paramref name="body"/> on its name, and drops it.</summary>
    private static async Task WithTableAsync(NpgsqlDataSource source, string name, string columns, Func<string, Task> body)
    {
        string table = $"aieng_test_{name}_{Guid.NewGuid():N}";
        await ExecuteAsync(source, "CREATE EXTENSION IF NOT EXISTS vector");
        await ExecuteAsync(source, $"CREATE TABLE {table} {columns}");
        try
        {
            await body(table);
        }
        finally
        {
            await ExecuteAsync(source, $"DROP TABLE IF EXISTS {table}");
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> ScalarTextAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
