using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>Convenience overloads for <see cref="IDocumentLoader"/>.</summary>
public static class DocumentLoaderExtensions
{
    /// <summary>Loads the documents of a file.</summary>
    /// <param name="loader">The loader.</param>
    /// <param name="path">The path of the file; it is also the documents' source name.</param>
    /// <param name="issues">Receives the problems that were worked around; <see langword="null"/> to ignore them.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The documents, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loader"/> or <paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or whitespace.</exception>
    /// <exception cref="DocumentLoadException">The file cannot be read or is malformed.</exception>
    public static IAsyncEnumerable<Document> LoadFileAsync(
        this IDocumentLoader loader, string path, IProgress<DocumentLoadIssue>? issues = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(loader);
        return loader.LoadAsync(DocumentSource.FromFile(path), issues, cancellationToken);
    }

    /// <summary>Loads the documents of a source, ignoring the problems that were worked around.</summary>
    /// <param name="loader">The loader.</param>
    /// <param name="source">The source to read.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The documents, in source order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loader"/> or <paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="DocumentLoadException">The source cannot be read or is malformed.</exception>
    public static IAsyncEnumerable<Document> LoadAsync(this IDocumentLoader loader, DocumentSource source, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(loader);
        return loader.LoadAsync(source, null, cancellationToken);
    }
}
