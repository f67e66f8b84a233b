using AiEng.Shared;
using AiEng.Tokens;

namespace AiEng.Retrieval;

/// <summary>
/// Splits a document section by section (the headings found by <see cref="MarkdownDocumentLoader"/> or
/// <c>HtmlDocumentLoader</c> of AiEng.Retrieval.Html, or the pages of <c>PdfDocumentLoader</c> of AiEng.Retrieval.Pdf), prefixing each chunk with its heading
/// path so that the chunk says what it is about; a section larger than the size is split as by <see cref="RecursiveTextChunker"/>.
/// </summary>
/// <remarks>
/// <para>
/// A chunk's text is <c>"Guide &gt; Install\n\n"</c> (the heading path joined with <c>" &gt; "</c> and a blank line; nothing for
/// text before the first heading) followed by <c>document.Text[StartOffset..EndOffset]</c>; <see cref="DocumentChunk.PrefixLength"/>
/// is the length of the prefix. Chunks never cross sections, and the prefix counts toward the size. A document without
/// sections is one section with no heading.
/// </para>
/// </remarks>
public sealed class MarkdownSectionChunker : IChunker
{
    private const string Separator = " > ";
    private readonly ITokenCounter _tokenCounter;
    private readonly int _chunkSize;
    private readonly int _chunkOverlap;

    /// <summary>Initializes a new instance of the <see cref="MarkdownSectionChunker"/> class.</summary>
    /// <param name="tokenCounter">Counts the tokens of chunk sizes and overlaps.</param>
    /// <param name="options">The size and overlap; <see langword="null"/> for the defaults (512 and 64 tokens). The values are read here; later changes to the options have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokenCounter"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size is less than 1, or the overlap is negative or not less than the size.</exception>
    public MarkdownSectionChunker(ITokenCounter tokenCounter, ChunkerOptions? options = null)
    {
        _tokenCounter = Throw.IfNull(tokenCounter);
        ChunkerOptions checkedOptions = (options ?? new ChunkerOptions()).Validate();
        (_chunkSize, _chunkOverlap) = (checkedOptions.ChunkSize, checkedOptions.ChunkOverlap);
    }

    /// <inheritdoc />
    public IEnumerable<DocumentChunk> Chunk(Document document)
    {
        Throw.IfNull(document);
        return ChunkCore(document);
    }

    private IEnumerable<DocumentChunk> ChunkCore(Document document)
    {
        IReadOnlyList<DocumentSection> sections = document.Sections.Count > 0 ? document.Sections : [new DocumentSection(0, document.Text.Length)];
        int index = 0;
        foreach (DocumentSection section in sections)
        {
            string prefix = section.HeadingPath.Count == 0 ? string.Empty : string.Join(Separator, section.HeadingPath) + "\n\n";

            // The prefix takes part of the size; the body gets the rest (at least one token) and an overlap below that.
            int bodySize = Math.Max(1, _chunkSize - (prefix.Length == 0 ? 0 : _tokenCounter.CountTokens(prefix)));
            var splitter = new RecursiveSplitter(_tokenCounter, bodySize, Math.Min(_chunkOverlap, bodySize - 1));
            foreach (TextRange range in splitter.Split(document.Text, new TextRange(section.StartOffset, section.EndOffset)))
            {
                yield return new DocumentChunk(document.Id, index++, prefix + document.Text.Substring(range.Start, range.Length), range.Start, range.End)
                {
                    PrefixLength = prefix.Length,
                    HeadingPath = section.HeadingPath,
                    Page = section.Page,
                };
            }
        }
    }
}
