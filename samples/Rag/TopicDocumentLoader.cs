using AiEng.Retrieval;

namespace AiEng.Samples.Rag;

/// <summary>
/// Loads Markdown files with <see cref="MarkdownDocumentLoader"/> and adds a <c>topic</c> to each document's metadata: the
/// first folder of its path (<c>guide/install.md</c>: <c>guide</c>), or its file name for a file at the top
/// (<c>retrieval.md</c>: <c>retrieval</c>). The sample declares <c>topic</c> filterable, so the ingestor writes it to every
/// chunk's tags and a question can be restricted to one topic (<c>--topic retrieval</c>).
/// </summary>
/// <remarks>Metadata set by a loader is how an application attaches what it filters on: a tenant, a language, an access group.</remarks>
internal sealed class TopicDocumentLoader : IDocumentLoader
{
    /// <summary>The metadata key of the topic.</summary>
    public const string TopicKey = "topic";

    private readonly MarkdownDocumentLoader _markdown = new();

    /// <summary>Returns the topic of the document <paramref name="documentId"/> (a path relative to the loaded folder).</summary>
    public static string TopicOf(string documentId)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        string path = documentId.Replace('\\', '/');
        int slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? path[..slash] : Path.GetFileNameWithoutExtension(path);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Document> LoadAsync(
        DocumentSource source, IProgress<DocumentLoadIssue>? issues, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (Document document in _markdown.LoadAsync(source, issues, cancellationToken))
        {
            var metadata = new Dictionary<string, string>(document.Metadata, StringComparer.Ordinal) { [TopicKey] = TopicOf(document.Id) };
            yield return new Document(document.Id, document.Text)
            {
                Source = document.Source,
                Title = document.Title,
                Sections = document.Sections,
                Metadata = metadata,
            };
        }
    }
}
