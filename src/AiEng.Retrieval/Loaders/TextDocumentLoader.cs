namespace AiEng.Retrieval;

/// <summary>Loads a plain-text file as one document: the text as it is, the source name as id and the file name as title.</summary>
/// <remarks>
/// Text is decoded as UTF-8 (a byte-order mark may select UTF-16 or UTF-32); invalid bytes are replaced with U+FFFD and
/// reported as <see cref="DocumentLoadIssueKind.InvalidUtf8"/>. A file with only whitespace is skipped and reported as
/// <see cref="DocumentLoadIssueKind.Empty"/>. The metadata holds <c>format</c> = <c>text</c>.
/// </remarks>
public sealed class TextDocumentLoader : IDocumentLoader
{
    /// <inheritdoc />
    public IAsyncEnumerable<Document> LoadAsync(DocumentSource source, IProgress<DocumentLoadIssue>? issues, CancellationToken cancellationToken = default) =>
        SourceText.LoadOneAsync(source, issues, text => new Document(source.Name, text)
        {
            Source = source.Name,
            Title = SourceText.FileTitle(source.Name),
            Metadata = new Dictionary<string, string> { ["format"] = "text" },
        }, cancellationToken);
}
