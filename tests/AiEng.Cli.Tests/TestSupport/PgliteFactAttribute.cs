using AiEng.TestSupport;

namespace AiEng.Cli.Tests.TestSupport;

/// <summary>A test that starts PGlite (PostgreSQL with pgvector from npm): skipped, with the reason, when node or npm is missing.</summary>
internal sealed class PgliteFactAttribute : FactAttribute
{
    public PgliteFactAttribute()
    {
        if (PgliteServer.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
