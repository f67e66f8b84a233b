using System.Net.ServerSentEvents;
using System.Text.Json;
using AiEng.Inference;
using AiEng.Retrieval;

namespace AiEng.Samples.WebChat;

/// <summary>
/// The server-sent events of one answer, in this order: <c>token</c> (a piece of the answer's text, many), <c>citation</c>
/// (a cited source, one each), <c>usage</c> (the request's tokens and cost), then <c>done</c>. An answer the model stopped
/// before its end (at the output-token limit, or by its content filter) sends <c>notice</c> after its text. A failure,
/// including an answer with no text, sends <c>error</c> with a readable message in place of the rest of the answer, then
/// <c>usage</c> and <c>done</c>.
/// Every event's data is one JSON object with camel-case names.
/// </summary>
internal static class ChatEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static SseItem<string> Token(string text) => Create("token", new { text });

    public static SseItem<string> Citation(Citation citation) => Create("citation", new
    {
        number = citation.Number,
        documentId = citation.DocumentId,
        title = citation.Title,
        headingPath = citation.HeadingPath,
        startOffset = citation.StartOffset,
        endOffset = citation.EndOffset,
        chunkId = citation.ChunkKeys.Count > 0 ? citation.ChunkKeys[0] : (Guid?)null,
        link = citation.ChunkKeys.Count > 0 ? SourceLink(citation.ChunkKeys[0]) : null,
    });

    public static SseItem<string> Usage(IReadOnlyList<UsageRecord> records, string currency)
    {
        var unpriced = records.Where(record => record.Cost is null).Select(record => record.Model).Distinct(StringComparer.Ordinal).ToArray();
        return Create("usage", new
        {
            calls = records.Count,
            inputTokens = records.Sum(record => record.InputTokens),
            outputTokens = records.Sum(record => record.OutputTokens),
            totalTokens = records.Sum(record => record.InputTokens + record.OutputTokens),
            estimated = records.Any(record => record.IsEstimated),
            cost = records.Sum(record => record.Cost ?? 0m),
            currency,
            unpriced,
        });
    }

    public static SseItem<string> Error(string message) => Create("error", new { message });

    /// <summary>An answer that was stopped before its end: the finish reason (<c>length</c>, <c>content_filter</c>) and a readable message.</summary>
    public static SseItem<string> Notice(string reason, string message) => Create("notice", new { reason, message });

    public static SseItem<string> Done() => Create("done", new { });

    /// <summary>The page that shows a chunk: <c>/source/{key}</c>.</summary>
    public static string SourceLink(Guid chunkKey) => "/source/" + chunkKey.ToString("D");

    private static SseItem<string> Create(string type, object data) => new(JsonSerializer.Serialize(data, Json), type);
}
