using System.Security.Cryptography;
using System.Text;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>A loaded document: its text, where it came from and what is known about it, ready to be chunked.</summary>
/// <remarks>
/// <para>
/// <see cref="Id"/> is stable across loads of the same source (a relative path or a record id), so that ingestion can
/// recognise a document again; <see cref="ContentHash"/> tells whether its text changed.
/// </para>
/// <para>
/// <see cref="Sections"/> describe the structure a loader found (Markdown or HTML headings, PDF pages) as character ranges of
/// <see cref="Text"/>, so chunkers can give every chunk its heading path and page without parsing the source again.
/// </para>
/// </remarks>
public sealed class Document
{
    private string? _contentHash;

    /// <summary>Initializes a new instance of the <see cref="Document"/> class.</summary>
    /// <param name="id">The stable id of the document, for example a relative path or a record id.</param>
    /// <param name="text">The text of the document.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or whitespace.</exception>
    public Document(string id, string text)
    {
        Id = Throw.IfNullOrWhitespace(id);
        Text = Throw.IfNull(text);
    }

    /// <summary>Gets the stable id of the document.</summary>
    public string Id { get; }

    /// <summary>Gets the text of the document. Chunk offsets are character offsets into this string.</summary>
    public string Text { get; }

    /// <summary>Gets where the document came from, for example a path relative to the loaded directory; <see langword="null"/> when unknown.</summary>
    public string? Source { get; init; }

    /// <summary>Gets the title of the document; <see langword="null"/> when it has none.</summary>
    public string? Title { get; init; }

    /// <summary>Gets additional facts about the document (for example its format or page count). Empty by default.</summary>
    /// <remarks>Values are strings so that every vector store can persist and filter them without a serializer.</remarks>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Gets the structure of the text as ordered, non-overlapping character ranges (sections under headings, pages), or
    /// an empty list when the loader found none.
    /// </summary>
    public IReadOnlyList<DocumentSection> Sections { get; init; } = [];

    /// <summary>Gets the SHA-256 hash of <see cref="Text"/> (UTF-8), as 64 lowercase hexadecimal digits; computed once, on first use.</summary>
    /// <remarks>The text is encoded and hashed in slices, so hashing a large document needs no UTF-8 copy of it.</remarks>
    public string ContentHash => _contentHash ??= HashUtf8(Text);

    /// <summary>The number of characters encoded and hashed at a time by <see cref="HashUtf8"/>.</summary>
    private const int HashSliceChars = 16 * 1024;

    /// <summary>Returns the SHA-256 of the UTF-8 encoding of <paramref name="text"/> as lowercase hex, encoding slice by slice.</summary>
    private static string HashUtf8(string text)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var encoder = Encoding.UTF8.GetEncoder();
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(HashSliceChars));
        try
        {
            ReadOnlySpan<char> rest = text;
            do
            {
                var slice = rest[..Math.Min(rest.Length, HashSliceChars)];
                rest = rest[slice.Length..];
                // flush only at the end: a surrogate pair split between two slices is kept by the encoder, not replaced.
                int written = encoder.GetBytes(slice, buffer, flush: rest.IsEmpty);
                hash.AppendData(buffer, 0, written);
            }
            while (!rest.IsEmpty);

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Gets the innermost section that contains the character at <paramref name="offset"/>.</summary>
    /// <param name="offset">A character offset into <see cref="Text"/>.</param>
    /// <returns>The section, or <see langword="null"/> when no section contains the offset.</returns>
    public DocumentSection? FindSection(int offset)
    {
        // Sections are ordered by start offset: binary search for the last one that starts at or before the offset.
        int lo = 0, hi = Sections.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (Sections[mid].StartOffset <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && (offset < Sections[found].EndOffset || Sections[found].StartOffset == Sections[found].EndOffset && offset == Sections[found].StartOffset)
            ? Sections[found]
            : null;
    }
}
