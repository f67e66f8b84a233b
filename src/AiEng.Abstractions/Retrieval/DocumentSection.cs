using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>A character range of a <see cref="Document"/>'s text with its place in the document: its heading path and page.</summary>
public sealed class DocumentSection
{
    /// <summary>Initializes a new instance of the <see cref="DocumentSection"/> class.</summary>
    /// <param name="startOffset">The offset of the first character of the section in the document text.</param>
    /// <param name="endOffset">The offset just past the last character of the section.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="startOffset"/> is negative or greater than <paramref name="endOffset"/>.</exception>
    public DocumentSection(int startOffset, int endOffset)
    {
        StartOffset = Throw.IfLessThan(startOffset, 0);
        EndOffset = Throw.IfLessThan(endOffset, startOffset);
    }

    /// <summary>Gets the offset of the first character of the section in the document text.</summary>
    public int StartOffset { get; }

    /// <summary>Gets the offset just past the last character of the section.</summary>
    public int EndOffset { get; }

    /// <summary>Gets the headings the section is under, outermost first (for example <c>["Guide", "Install"]</c>); empty when none.</summary>
    public IReadOnlyList<string> HeadingPath { get; init; } = [];

    /// <summary>Gets the 1-based page number of the section, or <see langword="null"/> for documents without pages.</summary>
    public int? Page { get; init; }
}
