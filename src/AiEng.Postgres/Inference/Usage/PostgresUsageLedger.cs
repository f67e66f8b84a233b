using System.Data;
using AiEng.Shared;
using Npgsql;
using NpgsqlTypes;

namespace AiEng.Inference;

/// <summary>
/// A usage ledger in a PostgreSQL table that every instance of an application writes to, so that usage is recorded in one
/// place and budgets (per day, model, caller tag or operation) hold across instances: before each call, AiEng's usage
/// middleware totals what every instance has recorded in the budget's window (<see cref="GetSpendingAsync"/>), and each
/// call is inserted as a row when it completes (<see cref="RecordAsync"/>).
/// </summary>
/// <remarks>
/// <para>
/// A budget can be overshot only by calls that were in flight when it was reached: with one call in flight per instance,
/// by at most one call of each other instance. Each record is one <c>INSERT</c>, and each check one indexed aggregate over
/// the window, so the table needs no locks; old rows can be deleted or archived by the application (budgets read only
/// their window).
/// </para>
/// <para>Thread-safe. The table is created on first use unless <see cref="PostgresUsageLedgerOptions.CreateTableIfMissing"/> is off.</para>
/// </remarks>
public sealed class PostgresUsageLedger : ISharedUsageLedger
{
    private const string Columns =
        "started_at, operation, provider, model, input_tokens, output_tokens, cached_input_tokens, latency_ticks, cost, is_estimated, caller_tag, is_streaming, prompt, prompt_hash, is_cache_hit, cascade_step";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresTableName _table;
    private readonly int _maxRecords;
    private readonly PostgresOwnTable _own;
    private readonly string _insertSql;
    private readonly string _spendingSql;
    private readonly string _recordsSql;

    /// <summary>Initializes a new instance of the <see cref="PostgresUsageLedger"/> class.</summary>
    /// <param name="dataSource">The database (the caller owns and disposes it); the ledger opens a connection from it per operation.</param>
    /// <param name="options">The table and its handling; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The schema or table is not a plain identifier.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PostgresUsageLedgerOptions.MaxRecords"/> is less than 1.</exception>
    public PostgresUsageLedger(NpgsqlDataSource dataSource, PostgresUsageLedgerOptions? options = null)
    {
        options ??= new PostgresUsageLedgerOptions();
        _dataSource = Throw.IfNull(dataSource);
        _table = PostgresTableName.Create(options.Schema, options.Table, $"{nameof(PostgresUsageLedgerOptions)}.{nameof(PostgresUsageLedgerOptions.Table)}");
        _maxRecords = Throw.IfLessThan(options.MaxRecords, 1, $"{nameof(options)}.{nameof(PostgresUsageLedgerOptions.MaxRecords)}");
        _own = new PostgresOwnTable(
            _dataSource,
            $"""
            CREATE TABLE IF NOT EXISTS {_table.Quoted} (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                started_at timestamptz NOT NULL,
                operation text NOT NULL,
                provider text,
                model text NOT NULL,
                input_tokens bigint NOT NULL,
                output_tokens bigint NOT NULL,
                cached_input_tokens bigint NOT NULL,
                latency_ticks bigint NOT NULL,
                cost numeric,
                is_estimated boolean NOT NULL,
                caller_tag text,
                is_streaming boolean NOT NULL,
                prompt text,
                prompt_hash text,
                is_cache_hit boolean NOT NULL DEFAULT false,
                cascade_step integer);
            ALTER TABLE {_table.Quoted} ADD COLUMN IF NOT EXISTS is_cache_hit boolean NOT NULL DEFAULT false;
            ALTER TABLE {_table.Quoted} ADD COLUMN IF NOT EXISTS cascade_step integer;
            CREATE INDEX IF NOT EXISTS {_table.QuotedDerived("started_at")} ON {_table.Quoted} (started_at);
            """,
            options.CreateTableIfMissing);
        _insertSql = $"INSERT INTO {_table.Quoted} ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

        // A model matches itself and its variants (the id, then - _ : @ or /, then more), ignoring case, as budgets match in process.
        _spendingSql = $"""
            SELECT coalesce(sum(cost), 0), coalesce(sum(input_tokens + output_tokens), 0)::bigint FROM {_table.Quoted}
            WHERE ($1::timestamptz IS NULL OR started_at >= $1)
              AND ($2::text IS NULL OR lower(operation) = lower($2))
              AND ($3::text IS NULL OR caller_tag = $3)
              AND ($4::text IS NULL OR lower(model) = lower($4)
                   OR (starts_with(lower(model), lower($4)) AND substr(model, char_length($4) + 1, 1) IN ('-', '_', ':', '@', '/')))
            """;
        _recordsSql = $"SELECT {Columns} FROM (SELECT id, {Columns} FROM {_table.Quoted} ORDER BY id DESC LIMIT $1) newest ORDER BY id";
    }

    /// <summary>Gets the quoted, schema-qualified name of the ledger's table.</summary>
    public string TableName => _table.Quoted;

    /// <summary>Creates the table and its index when they are missing (done on first use unless turned off in the options).</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the table exists.</returns>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _own.CreateAsync(connection, async: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Inserts the row synchronously; AiEng's middleware uses <see cref="RecordAsync"/> instead.</remarks>
    public void Record(UsageRecord record)
    {
        Throw.IfNull(record);
        RecordCoreAsync(record, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(record);
        return RecordCoreAsync(record, async: true, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The newest <see cref="PostgresUsageLedgerOptions.MaxRecords"/> rows of every instance, oldest first.</remarks>
    public IReadOnlyList<UsageRecord> GetRecords() => GetRecordsCoreAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>Gets the newest records of every instance, oldest first, as <see cref="GetRecords"/> does, without blocking.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The records.</returns>
    public ValueTask<IReadOnlyList<UsageRecord>> GetRecordsAsync(CancellationToken cancellationToken = default) => GetRecordsCoreAsync(async: true, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<UsageSpending> GetSpendingAsync(UsageSpendingQuery query, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(query);
        await using NpgsqlConnection connection = await _own.OpenAsync(async: true, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_spendingSql, connection);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = query.Since is DateTimeOffset since ? since.ToUniversalTime() : DBNull.Value });
        command.Parameters.Add(Text(query.Operation));
        command.Parameters.Add(Text(query.CallerTag));
        command.Parameters.Add(Text(query.Model));
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new UsageSpending(reader.GetDecimal(0), reader.GetInt64(1));
    }

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = value ?? (object)DBNull.Value };

    private static object OrNull(object? value) => value ?? DBNull.Value;

    private async ValueTask RecordCoreAsync(UsageRecord record, bool async, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _own.OpenAsync(async, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_insertSql, connection);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = record.Timestamp.ToUniversalTime() });
        command.Parameters.Add(Text(record.Operation));
        command.Parameters.Add(Text(record.Provider));
        command.Parameters.Add(Text(record.Model));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = record.InputTokens });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = record.OutputTokens });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = record.CachedInputTokens });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = record.Latency.Ticks });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Numeric, Value = OrNull(record.Cost) });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = record.IsEstimated });
        command.Parameters.Add(Text(record.CallerTag));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = record.IsStreaming });
        command.Parameters.Add(Text(record.Prompt));
        command.Parameters.Add(Text(record.PromptHash));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = record.IsCacheHit });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = record.CascadeStep is int step ? step : DBNull.Value });
        _ = async ? await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteNonQuery();
    }

    private async ValueTask<IReadOnlyList<UsageRecord>> GetRecordsCoreAsync(bool async, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _own.OpenAsync(async, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_recordsSql, connection);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = _maxRecords });
        await using NpgsqlDataReader reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
        var records = new List<UsageRecord>();
        while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
        {
            records.Add(new UsageRecord
            {
                Timestamp = reader.GetFieldValue<DateTimeOffset>(0),
                Operation = reader.GetString(1),
                Provider = reader.IsDBNull(2) ? null : reader.GetString(2),
                Model = reader.GetString(3),
                InputTokens = reader.GetInt64(4),
                OutputTokens = reader.GetInt64(5),
                CachedInputTokens = reader.GetInt64(6),
                Latency = TimeSpan.FromTicks(reader.GetInt64(7)),
                Cost = reader.IsDBNull(8) ? null : reader.GetDecimal(8),
                IsEstimated = reader.GetBoolean(9),
                CallerTag = reader.IsDBNull(10) ? null : reader.GetString(10),
                IsStreaming = reader.GetBoolean(11),
                Prompt = reader.IsDBNull(12) ? null : reader.GetString(12),
                PromptHash = reader.IsDBNull(13) ? null : reader.GetString(13),
                IsCacheHit = reader.GetBoolean(14),
                CascadeStep = reader.IsDBNull(15) ? null : reader.GetInt32(15),
            });
        }

        return records;
    }
}
