using System.Globalization;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// Makes each sentence a chunk, for precise matching, and keeps the surrounding sentences in the chunk's metadata so that
/// the generator can be given the wider context: retrieve on the sentence, answer from the window.
/// </summary>
/// <remarks>
/// <para>
/// Sentences are found within paragraphs (blank-line separated) after <c>.</c>, <c>!</c> or <c>?</c> followed by a capital,
/// digit, quote or bracket, except after common abbreviations and initials. The window spans
/// <see cref="SentenceWindowChunkerOptions.WindowSize"/> sentences before and after, across paragraphs but within the
/// document.
/// </para>
/// <para>
/// Metadata: <see cref="WindowKey"/> holds the window text (<c>document.Text[start..end]</c>), <see cref="WindowStartKey"/>
/// and <see cref="WindowEndKey"/> its offsets. The chunk's text is exactly <c>document.Text[StartOffset..EndOffset]</c>; its
/// heading path and page are those of the section it starts in.
/// </para>
/// </remarks>
public sealed class SentenceWindowChunker : IChunker
{
    /// <summary>The metadata key of the window text.</summary>
    public const string WindowKey = "window";

    /// <summary>The metadata key of the window's start offset in the document text.</summary>
    public const string WindowStartKey = "window_start";

    /// <summary>The metadata key of the window's end offset in the document text.</summary>
    public const string WindowEndKey = "window_end";

    private readonly int _windowSize;

    /// <summary>Initializes a new instance of the <see cref="SentenceWindowChunker"/> class.</summary>
    /// <param name="options">The window size; <see langword="null"/> for the default (3 sentences each side). The value is read here; later changes to the options have no effect.</param>
    /// <exception cref="ArgumentOutOfRangeException">The window size is negative.</exception>
    public SentenceWindowChunker(SentenceWindowChunkerOptions? options = null)
    {
        _windowSize = (options ?? new SentenceWindowChunkerOptions()).Validate().WindowSize;
    }

    /// <inheritdoc />
    public IEnumerable<DocumentChunk> Chunk(Document document)
    {
        Throw.IfNull(document);
        return ChunkCore(document);
    }

    private IEnumerable<DocumentChunk> ChunkCore(Document document)
    {
        string text = document.Text;
        IEnumerable<TextRange> sentences = TextBoundaries.Paragraphs(text, new TextRange(0, text.Length))
            .SelectMany(paragraph => TextBoundaries.Sentences(text, paragraph));

        // A sliding buffer of 2 * window + 1 sentences: the one to emit is in the middle, so memory does not grow with the document.
        var buffer = new Queue<TextRange>();
        var before = new Queue<TextRange>();
        int index = 0;
        foreach (TextRange sentence in sentences)
        {
            buffer.Enqueue(sentence);
            if (buffer.Count > _windowSize)
            {
                yield return Emit(document, index++, before, buffer);
            }
        }

        while (buffer.Count > 0)
        {
            yield return Emit(document, index++, before, buffer);
        }
    }

    private DocumentChunk Emit(Document document, int index, Queue<TextRange> before, Queue<TextRange> buffer)
    {
        TextRange sentence = buffer.Dequeue();
        int windowStart = before.Count > 0 ? before.Peek().Start : sentence.Start;
        int windowEnd = buffer.Count > 0 ? buffer.Last().End : sentence.End;
        before.Enqueue(sentence);
        if (before.Count > _windowSize)
        {
            before.Dequeue();
        }

        DocumentSection? section = document.FindSection(sentence.Start);
        return new DocumentChunk(document.Id, index, document.Text.Substring(sentence.Start, sentence.Length), sentence.Start, sentence.End)
        {
            HeadingPath = section?.HeadingPath ?? [],
            Page = section?.Page,
            Metadata = new Dictionary<string, string>
            {
                [WindowKey] = document.Text[windowStart..windowEnd],
                [WindowStartKey] = windowStart.ToString(CultureInfo.InvariantCulture),
                [WindowEndKey] = windowEnd.ToString(CultureInfo.InvariantCulture),
            },
        };
    }
}
