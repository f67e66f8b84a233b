namespace AiEng.Postgres.Tests.TestSupport;

/// <summary>A test that needs PostgreSQL with pgvector: skipped, with the reason, only when no server can be had (<see cref="PostgresServer.SkipReason"/>).</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
