using Microsoft.Extensions.Logging;

namespace AiEng.Inference;

/// <summary>The semantic cache's log messages; they never include the question or the response.</summary>
internal static partial class SemanticCacheLog
{
    [LoggerMessage(EventId = 40, EventName = "SemanticCacheLookupFailed", Level = LogLevel.Warning,
        Message = "The semantic cache could not look up a request (it is sent to the model instead).")]
    public static partial void LookupFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 41, EventName = "SemanticCacheStoreFailed", Level = LogLevel.Warning,
        Message = "The semantic cache could not store a response (the response is returned all the same).")]
    public static partial void StoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 42, EventName = "SemanticCacheScopeFailed", Level = LogLevel.Warning,
        Message = "The semantic cache could not hash the scope of a request (it is sent to the model without the cache); an option or additional property cannot be written as JSON.")]
    public static partial void ScopeFailed(ILogger logger, Exception exception);
}
