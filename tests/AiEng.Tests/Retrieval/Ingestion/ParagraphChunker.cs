using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Ingestion;

/// <summary>
/// A lazy chunker for ingestion tests: one chunk per non-empty line, with an optional heading path and page, counting
/// how many chunks it has produced so far (to check that ingestion consumes it lazily).
/// </summary>
internal sealed class ParagraphChunker : IChunker
{
    private int _produced;

    public IReadOnlyList<string> HeadingPath { get; init; } = [];

    public int? Page { get; init; }

    /// <summary>Gets the metadata of the chunk at each index, or <see langword="null"/> for none.</summary>
    public Func<int, IReadOnlyDictionary<string, string>>? Metadata { get; init; }

    public int Produced => Volatile.Read(ref _produced);

    public IEnumerable<DocumentChunk> Chunk(Document document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return ChunkCore(document);
    }

    private IEnumerable<DocumentChunk> ChunkCore(Document document)
    {
        int index = 0, start = 0;
        string text = document.Text;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end;
            if (end > start && !string.IsNullOrWhiteSpace(text[start..end]))
            {
                Interlocked.Increment(ref _produced);
                var chunk = new DocumentChunk(document.Id, index, text[start..end], start, end)
                {
                    HeadingPath = HeadingPath,
                    Page = Page,
                    Metadata = Metadata?.Invoke(index) ?? new Dictionary<string, string>(),
                };
                index++;
                yield return chunk;
            }

            start = end + 1;
        }
    }
}
