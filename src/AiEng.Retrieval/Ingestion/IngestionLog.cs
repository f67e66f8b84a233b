using Microsoft.Extensions.Logging;

namespace AiEng.Retrieval;

/// <summary>Log messages of ingestion. They name collections, documents and sources and give counts, never document text.</summary>
internal static partial class IngestionLog
{
    [LoggerMessage(EventId = 100, EventName = "IngestionStarted", Level = LogLevel.Information,
        Message = "Ingestion into collection {Collection} started (batch size {BatchSize}, delete missing {DeleteMissing}, re-index unchanged {ReindexUnchanged}).")]
    public static partial void Started(ILogger logger, string collection, int batchSize, bool deleteMissing, bool reindexUnchanged);

    [LoggerMessage(EventId = 101, EventName = "IngestionCompleted", Level = LogLevel.Information,
        Message = "Ingestion into collection {Collection} completed in {ElapsedMs:F0} ms: {Added} added, {Updated} updated, {Unchanged} unchanged, {Deleted} deleted, {Skipped} skipped; {Chunks} chunks, {EmbeddingTokens} embedding tokens, {Issues} issues.")]
    public static partial void Completed(ILogger logger, string collection, double elapsedMs, int added, int updated, int unchanged, int deleted, int skipped, int chunks, long embeddingTokens, int issues);

    [LoggerMessage(EventId = 102, EventName = "IngestionFailed", Level = LogLevel.Error,
        Message = "Ingestion into collection {Collection} failed after {Added} added and {Updated} updated documents; committed documents stay.")]
    public static partial void Failed(ILogger logger, Exception exception, string collection, int added, int updated);

    [LoggerMessage(EventId = 103, EventName = "IngestionInputSkipped", Level = LogLevel.Warning,
        Message = "Skipped {Source} (document {DocumentId}): {Kind}: {Reason}")]
    public static partial void InputSkipped(ILogger logger, string source, string? documentId, DocumentLoadIssueKind kind, string reason);

    [LoggerMessage(EventId = 104, EventName = "IngestionIssue", Level = LogLevel.Information,
        Message = "Repaired {Source} (document {DocumentId}): {Kind}: {Reason}")]
    public static partial void Issue(ILogger logger, string source, string? documentId, DocumentLoadIssueKind kind, string reason);

    [LoggerMessage(EventId = 105, EventName = "IngestionBatchEmbedded", Level = LogLevel.Debug,
        Message = "Embedded a batch of {Chunks} chunks ({Tokens} tokens reported).")]
    public static partial void BatchEmbedded(ILogger logger, int chunks, long tokens);

    [LoggerMessage(EventId = 106, EventName = "IngestionDocumentUnchanged", Level = LogLevel.Debug,
        Message = "Document {DocumentId} is unchanged; skipped without embedding.")]
    public static partial void DocumentUnchanged(ILogger logger, string documentId);

    [LoggerMessage(EventId = 107, EventName = "IngestionDocumentCommitted", Level = LogLevel.Debug,
        Message = "Document {DocumentId} {Action} with {Chunks} chunks.")]
    public static partial void DocumentCommitted(ILogger logger, string documentId, string action, int chunks);

    [LoggerMessage(EventId = 108, EventName = "IngestionDocumentDeleted", Level = LogLevel.Debug,
        Message = "Document {DocumentId} is no longer in the source; deleted.")]
    public static partial void DocumentDeleted(ILogger logger, string documentId);
}
