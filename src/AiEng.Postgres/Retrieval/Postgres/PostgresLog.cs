using Microsoft.Extensions.Logging;

namespace AiEng.Retrieval;

/// <summary>Log messages of the PostgreSQL store. Connection strings are logged without their password.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 400, EventName = "PostgresStoreOpened", Level = LogLevel.Information,
        Message = "AiEng retrieval keeps its collections in PostgreSQL: {ConnectionString}, schema {Schema}.")]
    public static partial void Opened(ILogger logger, string connectionString, string schema);
}
