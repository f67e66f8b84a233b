namespace AiEng.Postgres.Tests.TestSupport;

/// <summary>A theory that needs PostgreSQL with pgvector: skipped, with the reason, only when no server can be had (<see cref="PostgresServer.SkipReason"/>).</summary>
internal sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
