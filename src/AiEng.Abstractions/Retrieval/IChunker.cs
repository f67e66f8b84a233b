namespace AiEng.Retrieval;

/// <summary>Splits a <see cref="Document"/> into <see cref="DocumentChunk"/>s for embedding and retrieval.</summary>
/// <remarks>
/// <para>
/// Chunking is synchronous and lazy: it is CPU-bound work over text already in memory (no I/O to await), and a lazily
/// enumerated sequence lets ingestion embed and store the first chunks of a large document before the last ones exist, so
/// memory stays bounded by a batch rather than by the document's chunk count.
/// </para>
/// <para>
/// Implementations are thread-safe and number chunks from 0 in document order; every chunk satisfies
/// <c>chunk.Text[chunk.PrefixLength..] == document.Text[chunk.StartOffset..chunk.EndOffset]</c>.
/// </para>
/// </remarks>
public interface IChunker
{
    /// <summary>Splits <paramref name="document"/> into chunks.</summary>
    /// <param name="document">The document to split.</param>
    /// <returns>The chunks in document order; none for a document with only whitespace.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    IEnumerable<DocumentChunk> Chunk(Document document);
}
