using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>A piece of a <see cref="Document"/> to embed and retrieve, with the character range it came from for citations.</summary>
/// <remarks>
/// <see cref="Text"/> is the document text from <see cref="StartOffset"/> to <see cref="EndOffset"/>, optionally preceded by
/// <see cref="PrefixLength"/> characters of context a chunker adds (such as the heading path):
/// <c>Text[PrefixLength..] == document.Text[StartOffset..EndOffset]</c>.
/// </remarks>
public sealed class DocumentChunk
{
    /// <summary>Initializes a new instance of the <see cref="DocumentChunk"/> class.</summary>
    /// <param name="documentId">The id of the document the chunk belongs to.</param>
    /// <param name="index">The 0-based position of the chunk among the document's chunks.</param>
    /// <param name="text">The text of the chunk, including any prefix.</param>
    /// <param name="startOffset">The offset in the document text where the chunk's own text starts.</param>
    /// <param name="endOffset">The offset in the document text just past the chunk's own text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="documentId"/> or <paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="documentId"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="index"/> or <paramref name="startOffset"/> is negative, or <paramref name="endOffset"/> is less than <paramref name="startOffset"/>.
    /// </exception>
    public DocumentChunk(string documentId, int index, string text, int startOffset, int endOffset)
    {
        DocumentId = Throw.IfNullOrWhitespace(documentId);
        Index = Throw.IfLessThan(index, 0);
        Text = Throw.IfNull(text);
        StartOffset = Throw.IfLessThan(startOffset, 0);
        EndOffset = Throw.IfLessThan(endOffset, startOffset);
    }

    /// <summary>Gets the id of the document the chunk belongs to.</summary>
    public string DocumentId { get; }

    /// <summary>Gets the 0-based position of the chunk among the document's chunks.</summary>
    public int Index { get; }

    /// <summary>Gets the text to embed and show: the optional prefix followed by the chunk's own text.</summary>
    public string Text { get; }

    /// <summary>Gets the offset in the document text where the chunk's own text starts.</summary>
    public int StartOffset { get; }

    /// <summary>Gets the offset in the document text just past the chunk's own text.</summary>
    public int EndOffset { get; }

    /// <summary>Gets the number of characters at the start of <see cref="Text"/> that a chunker added as context (0 by default).</summary>
    public int PrefixLength { get; init; }

    /// <summary>Gets the headings the chunk is under, outermost first; empty when none.</summary>
    public IReadOnlyList<string> HeadingPath { get; init; } = [];

    /// <summary>Gets the 1-based page the chunk starts on, or <see langword="null"/> for documents without pages.</summary>
    public int? Page { get; init; }

    /// <summary>Gets additional facts about the chunk (for example a sentence window). Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
