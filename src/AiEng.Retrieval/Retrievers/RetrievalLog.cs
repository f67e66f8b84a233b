using Microsoft.Extensions.Logging;

namespace AiEng.Retrieval;

/// <summary>Log messages of retrieval and grounded generation. They give kinds, counts and durations, never query or document text.</summary>
internal static partial class RetrievalLog
{
    [LoggerMessage(EventId = 200, EventName = "RetrievalStarted", Level = LogLevel.Debug,
        Message = "{Kind} retrieval over collection {Collection} started (top {Top}, filtered {Filtered}).")]
    public static partial void Started(ILogger logger, RetrieverKind kind, string collection, int top, bool filtered);

    [LoggerMessage(EventId = 201, EventName = "RetrievalCompleted", Level = LogLevel.Debug,
        Message = "{Kind} retrieval over collection {Collection} returned {Results} chunks in {ElapsedMs:F1} ms.")]
    public static partial void Completed(ILogger logger, RetrieverKind kind, string collection, int results, double elapsedMs);

    [LoggerMessage(EventId = 202, EventName = "RetrievalKeywordIndexLoaded", Level = LogLevel.Information,
        Message = "Keyword index of collection {Collection} loaded with {Chunks} chunks (collection version {Version}).")]
    public static partial void KeywordIndexLoaded(ILogger logger, string collection, int chunks, long version);

    [LoggerMessage(EventId = 203, EventName = "RetrievalKeywordIndexUpdated", Level = LogLevel.Debug,
        Message = "Keyword index of collection {Collection} updated with {Changed} changed keys; it holds {Chunks} chunks.")]
    public static partial void KeywordIndexUpdated(ILogger logger, string collection, int changed, int chunks);

    [LoggerMessage(EventId = 210, EventName = "GroundingSkipped", Level = LogLevel.Debug,
        Message = "Grounding skipped: the conversation has no user question; the call goes to the model unchanged.")]
    public static partial void GroundingSkipped(ILogger logger);

    [LoggerMessage(EventId = 211, EventName = "GroundingCompleted", Level = LogLevel.Debug,
        Message = "Grounded the question with {Packed} of {Retrieved} retrieved chunks ({Tokens} context tokens, {Dropped} dropped).")]
    public static partial void Grounded(ILogger logger, int retrieved, int packed, int tokens, int dropped);

    [LoggerMessage(EventId = 212, EventName = "GroundingFoundNothing", Level = LogLevel.Information,
        Message = "Retrieval found no context for the question ({Retrieved} chunks retrieved, none packed); the model answers without sources.")]
    public static partial void NothingFound(ILogger logger, int retrieved);
}
