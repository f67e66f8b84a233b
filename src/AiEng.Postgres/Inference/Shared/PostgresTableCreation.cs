using Npgsql;

namespace AiEng.Inference;

/// <summary>Runs a table's <c>CREATE ... IF NOT EXISTS</c> script once per instance, on first use, whichever thread gets there first.</summary>
internal static class PostgresTableCreation
{
    /// <summary>Runs <paramref name="script"/> on <paramref name="connection"/> unless <paramref name="isReady"/> says it already ran, then marks it done.</summary>
    public static async ValueTask CreateOnceAsync(
        SemaphoreSlim gate,
        Func<bool> isReady,
        Action markReady,
        NpgsqlConnection connection,
        string script,
        bool async,
        CancellationToken cancellationToken)
    {
        if (async)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            gate.Wait(cancellationToken);
        }

        try
        {
            if (isReady())
            {
                return;
            }

            await using var command = new NpgsqlCommand(script, connection);
            _ = async ? await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteNonQuery();
            markReady();
        }
        finally
        {
            gate.Release();
        }
    }
}
