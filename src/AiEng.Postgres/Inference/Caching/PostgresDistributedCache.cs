using AiEng.Shared;
using Microsoft.Extensions.Caching.Distributed;
using Npgsql;
using NpgsqlTypes;

namespace AiEng.Inference;

/// <summary>
/// An <see cref="IDistributedCache"/> in a PostgreSQL table, so that every instance of an application shares its response
/// and embedding caches (<c>UseEmbeddingCache(cache)</c>, Microsoft.Extensions.AI's <c>UseDistributedCache(cache)</c>)
/// instead of each keeping its own on disk. Entries honour absolute, relative and sliding expiration, measured with the
/// cache's <see cref="TimeProvider"/>; expired entries are never returned and are deleted now and then by writes.
/// </summary>
/// <remarks>Thread-safe. The table is created on first use unless <see cref="PostgresDistributedCacheOptions.CreateTableIfMissing"/> is off.</remarks>
public sealed class PostgresDistributedCache : IDistributedCache
{
    private readonly PostgresTableName _table;
    private readonly TimeSpan _deletionInterval;
    private readonly PostgresOwnTable _own;
    private readonly TimeProvider _time;
    private readonly string _getSql;
    private readonly string _touchSql;
    private readonly string _setSql;
    private readonly string _removeSql;
    private readonly string _deleteExpiredSql;
    private long _lastDeletionTicks;

    /// <summary>Initializes a new instance of the <see cref="PostgresDistributedCache"/> class.</summary>
    /// <param name="dataSource">The database (the caller owns and disposes it).</param>
    /// <param name="options">The table and its handling; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock that expiration is measured with; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The schema or table is not a plain identifier.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The deletion interval is not positive.</exception>
    public PostgresDistributedCache(NpgsqlDataSource dataSource, PostgresDistributedCacheOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new PostgresDistributedCacheOptions();
        _table = PostgresTableName.Create(options.Schema, options.Table, $"{nameof(PostgresDistributedCacheOptions)}.{nameof(PostgresDistributedCacheOptions.Table)}");
        _deletionInterval = Throw.IfNotPositive(options.ExpiredEntriesDeletionInterval, $"{nameof(options)}.{nameof(PostgresDistributedCacheOptions.ExpiredEntriesDeletionInterval)}");
        _own = new PostgresOwnTable(
            Throw.IfNull(dataSource),
            $"""
            CREATE TABLE IF NOT EXISTS {_table.Quoted} (
                key text PRIMARY KEY,
                value bytea NOT NULL,
                expires_at timestamptz,
                sliding interval,
                absolute_expires_at timestamptz);
            CREATE INDEX IF NOT EXISTS {_table.QuotedDerived("expires_at")} ON {_table.Quoted} (expires_at);
            """,
            options.CreateTableIfMissing);
        _time = timeProvider ?? TimeProvider.System;
        _lastDeletionTicks = _time.GetUtcNow().UtcTicks;

        // $1 key, $2 now; a sliding entry moves its expiry to now + sliding, never past its absolute expiry.
        _getSql = $"SELECT value, sliding IS NOT NULL FROM {_table.Quoted} WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)";
        _touchSql = $"""
            UPDATE {_table.Quoted} SET expires_at = CASE WHEN absolute_expires_at IS NULL THEN $2 + sliding ELSE least($2 + sliding, absolute_expires_at) END
            WHERE key = $1 AND sliding IS NOT NULL AND (expires_at IS NULL OR expires_at > $2)
            """;
        _setSql = $"""
            INSERT INTO {_table.Quoted} (key, value, expires_at, sliding, absolute_expires_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, sliding = excluded.sliding, absolute_expires_at = excluded.absolute_expires_at
            """;
        _removeSql = $"DELETE FROM {_table.Quoted} WHERE key = $1";
        _deleteExpiredSql = $"DELETE FROM {_table.Quoted} WHERE expires_at <= $1";
    }

    /// <summary>Gets the quoted, schema-qualified name of the cache's table.</summary>
    public string TableName => _table.Quoted;

    /// <inheritdoc />
    public byte[]? Get(string key) => GetCoreAsync(Throw.IfNull(key), async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => GetCoreAsync(Throw.IfNull(key), async: true, token).AsTask();

    /// <inheritdoc />
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        SetCoreAsync(Throw.IfNull(key), Throw.IfNull(value), Throw.IfNull(options), async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        SetCoreAsync(Throw.IfNull(key), Throw.IfNull(value), Throw.IfNull(options), async: true, token).AsTask();

    /// <inheritdoc />
    public void Refresh(string key) => ExecuteAsync(_touchSql, Throw.IfNull(key), Now(), async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public Task RefreshAsync(string key, CancellationToken token = default) => ExecuteAsync(_touchSql, Throw.IfNull(key), Now(), async: true, token).AsTask();

    /// <inheritdoc />
    public void Remove(string key) => ExecuteAsync(_removeSql, Throw.IfNull(key), null, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken token = default) => ExecuteAsync(_removeSql, Throw.IfNull(key), null, async: true, token).AsTask();

    private static NpgsqlParameter Timestamp(DateTimeOffset? value) => new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is DateTimeOffset time ? time.ToUniversalTime() : DBNull.Value };

    private DateTimeOffset Now() => _time.GetUtcNow();

    private async ValueTask<byte[]?> GetCoreAsync(string key, bool async, CancellationToken cancellationToken)
    {
        DateTimeOffset now = Now();
        await using NpgsqlConnection connection = await _own.OpenAsync(async, cancellationToken).ConfigureAwait(false);
        byte[]? value;
        bool sliding;
        await using (var command = new NpgsqlCommand(_getSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = key });
            command.Parameters.Add(Timestamp(now));
            await using NpgsqlDataReader reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
            if (!(async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read()))
            {
                return null;
            }

            value = reader.GetFieldValue<byte[]>(0);
            sliding = reader.GetBoolean(1);
        }

        if (sliding)
        {
            await ExecuteOnAsync(connection, _touchSql, key, now, async, cancellationToken).ConfigureAwait(false);
        }

        return value;
    }

    private async ValueTask SetCoreAsync(string key, byte[] value, DistributedCacheEntryOptions options, bool async, CancellationToken cancellationToken)
    {
        DateTimeOffset now = Now();
        DateTimeOffset? absolute = options.AbsoluteExpiration;
        if (options.AbsoluteExpirationRelativeToNow is TimeSpan relative)
        {
            absolute = now + Throw.IfNotPositive(relative, $"{nameof(options)}.{nameof(DistributedCacheEntryOptions.AbsoluteExpirationRelativeToNow)}");
        }

        if (absolute is DateTimeOffset end && end <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), end, $"The absolute expiration {end:O} is not after the current time {now:O}.");
        }

        TimeSpan? sliding = options.SlidingExpiration;
        DateTimeOffset? expires = sliding is TimeSpan window ? (absolute is DateTimeOffset cap && cap < now + window ? cap : now + window) : absolute;

        await using NpgsqlConnection connection = await _own.OpenAsync(async, cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(_setSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = key });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = value });
            command.Parameters.Add(Timestamp(expires));
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Interval, Value = sliding is TimeSpan span ? span : DBNull.Value });
            command.Parameters.Add(Timestamp(absolute));
            _ = async ? await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteNonQuery();
        }

        long last = Interlocked.Read(ref _lastDeletionTicks);
        if (now.UtcTicks - last >= _deletionInterval.Ticks && Interlocked.CompareExchange(ref _lastDeletionTicks, now.UtcTicks, last) == last)
        {
            await using var delete = new NpgsqlCommand(_deleteExpiredSql, connection);
            delete.Parameters.Add(Timestamp(now));
            _ = async ? await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : delete.ExecuteNonQuery();
        }
    }

    private async ValueTask ExecuteAsync(string sql, string key, DateTimeOffset? now, bool async, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _own.OpenAsync(async, cancellationToken).ConfigureAwait(false);
        await ExecuteOnAsync(connection, sql, key, now, async, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask ExecuteOnAsync(NpgsqlConnection connection, string sql, string key, DateTimeOffset? now, bool async, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = key });
        if (now is not null)
        {
            command.Parameters.Add(Timestamp(now));
        }

        _ = async ? await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteNonQuery();
    }
}
