using Npgsql;

namespace AiEng.Inference;

/// <summary>
/// A table a component keeps for itself (the usage ledger's, the cache's): connections are opened from the component's
/// data source, and the table's <c>CREATE ... IF NOT EXISTS</c> script runs once per instance, on first use, whichever
/// thread gets there first, unless the component was told the schema is managed elsewhere.
/// </summary>
internal sealed class PostgresOwnTable(NpgsqlDataSource dataSource, string createScript, bool createOnFirstUse)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    /// <summary>Opens a connection, creating the table first if that is still to be done.</summary>
    public async ValueTask<NpgsqlConnection> OpenAsync(bool async, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = async ? await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false) : dataSource.OpenConnection();
        if (!createOnFirstUse || _ready)
        {
            return connection;
        }

        try
        {
            await CreateAsync(connection, async, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs the create script on <paramref name="connection"/> unless it already ran for this instance.</summary>
    public async ValueTask CreateAsync(NpgsqlConnection connection, bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _gate.Wait(cancellationToken);
        }

        try
        {
            if (_ready)
            {
                return;
            }

            await using var command = new NpgsqlCommand(createScript, connection);
            _ = async ? await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteNonQuery();
            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
