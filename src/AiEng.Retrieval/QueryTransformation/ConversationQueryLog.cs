using Microsoft.Extensions.Logging;

namespace AiEng.Retrieval;

/// <summary>The log messages of forming the retrieval query from a conversation (<see cref="ConversationQueryBuilder"/>).</summary>
internal static partial class ConversationQueryLog
{
    [LoggerMessage(EventId = 215, EventName = "RetrievalQueryFormed", Level = LogLevel.Debug,
        Message = "Retrieval query formed by {Method} from {HistoryMessages} earlier messages (rewritten: {Rewritten}).")]
    public static partial void Formed(ILogger logger, RetrievalQueryMethod method, int historyMessages, bool rewritten);

    [LoggerMessage(EventId = 216, EventName = "RetrievalQueryText", Level = LogLevel.Debug,
        Message = "Retrieval query: {Query}")]
    public static partial void Text(ILogger logger, string query);

    [LoggerMessage(EventId = 217, EventName = "RetrievalQueryRewriteFailed", Level = LogLevel.Warning,
        Message = "Condensing the follow-up into a standalone query failed; the last user message is searched instead.")]
    public static partial void RewriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 218, EventName = "RetrievalQueryRewriteEmpty", Level = LogLevel.Warning,
        Message = "The model returned no query when asked to condense the follow-up; the last user message is searched instead.")]
    public static partial void RewriteEmpty(ILogger logger);
}
