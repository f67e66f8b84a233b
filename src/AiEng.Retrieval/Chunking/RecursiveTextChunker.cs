using AiEng.Shared;
using AiEng.Tokens;

namespace AiEng.Retrieval;

/// <summary>
/// Splits a document into chunks of at most <see cref="ChunkerOptions.ChunkSize"/> tokens, cutting at paragraph, then
/// sentence, then line, then word boundaries, with up to <see cref="ChunkerOptions.ChunkOverlap"/> tokens repeated
/// between consecutive chunks.
/// </summary>
/// <remarks>
/// <para>
/// Tokens are counted with the given <see cref="ITokenCounter"/> (for example <see cref="TiktokenTokenCounter"/>, or the
/// tokenizer of the embedding model). Whole paragraphs are kept together when they fit; larger ones are cut into sentences,
/// and so on down to words, and the pieces are packed into chunks. Only a single word longer than the size makes a chunk
/// exceed it.
/// </para>
/// <para>
/// Each chunk's text is exactly <c>document.Text[StartOffset..EndOffset]</c> (no prefix); its heading path and page are
/// those of the document section it starts in. Chunks may cross section boundaries; use <see cref="MarkdownSectionChunker"/>
/// to keep them within sections.
/// </para>
/// </remarks>
public sealed class RecursiveTextChunker : IChunker
{
    private readonly RecursiveSplitter _splitter;

    /// <summary>Initializes a new instance of the <see cref="RecursiveTextChunker"/> class.</summary>
    /// <param name="tokenCounter">Counts the tokens of chunk sizes and overlaps.</param>
    /// <param name="options">The size and overlap; <see langword="null"/> for the defaults (512 and 64 tokens). The values are read here; later changes to the options have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokenCounter"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size is less than 1, or the overlap is negative or not less than the size.</exception>
    public RecursiveTextChunker(ITokenCounter tokenCounter, ChunkerOptions? options = null)
    {
        Throw.IfNull(tokenCounter);
        ChunkerOptions checkedOptions = (options ?? new ChunkerOptions()).Validate();
        _splitter = new RecursiveSplitter(tokenCounter, checkedOptions.ChunkSize, checkedOptions.ChunkOverlap);
    }

    /// <inheritdoc />
    public IEnumerable<DocumentChunk> Chunk(Document document)
    {
        Throw.IfNull(document);
        return ChunkCore(document);
    }

    private IEnumerable<DocumentChunk> ChunkCore(Document document)
    {
        int index = 0;
        foreach (TextRange range in _splitter.Split(document.Text, new TextRange(0, document.Text.Length)))
        {
            DocumentSection? section = document.FindSection(range.Start);
            yield return new DocumentChunk(document.Id, index++, document.Text.Substring(range.Start, range.Length), range.Start, range.End)
            {
                HeadingPath = section?.HeadingPath ?? [],
                Page = section?.Page,
            };
        }
    }
}
