namespace AiEng.Retrieval;

/// <summary>Reads <see cref="Document"/>s of one format (plain text, Markdown, HTML, PDF, JSON lines, ...) from a <see cref="DocumentSource"/>.</summary>
/// <remarks>
/// <para>
/// A source yields one document (a text, Markdown, HTML or PDF file) or many (a JSON-lines file with one record a line).
/// Problems that do not stop the load (invalid UTF-8 replaced, an empty document skipped) are reported to
/// <c>issues</c>; problems that do (malformed input) throw <see cref="DocumentLoadException"/> naming the source and line.
/// </para>
/// <para>Implementations are thread-safe; convenience overloads are in <see cref="DocumentLoaderExtensions"/>.</para>
/// </remarks>
public interface IDocumentLoader
{
    /// <summary>Loads the documents of <paramref name="source"/>.</summary>
    /// <param name="source">The source to read.</param>
    /// <param name="issues">Receives the problems that were worked around (such as skipped empty documents); <see langword="null"/> to ignore them.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The documents, in source order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="DocumentLoadException">The source cannot be read or is malformed.</exception>
    IAsyncEnumerable<Document> LoadAsync(DocumentSource source, IProgress<DocumentLoadIssue>? issues, CancellationToken cancellationToken = default);
}
