using System.Text;
using AiEng.Retrieval;

namespace AiEng.Tests.TestSupport;

/// <summary>In-memory <see cref="DocumentSource"/>s for loader tests.</summary>
internal static class TestSources
{
    public static DocumentSource FromText(string text, string name) => FromBytes(Encoding.UTF8.GetBytes(text), name);

    public static DocumentSource FromBytes(byte[] bytes, string name) => DocumentSource.FromStream(new MemoryStream(bytes), name);

    /// <summary>A source whose stream cannot seek, so loaders that read by random access must buffer it.</summary>
    public static DocumentSource ForwardOnly(byte[] bytes, string name) => new(name, () => new ForwardOnlyStream(bytes));

    public static async Task<(List<Document> Documents, IReadOnlyList<DocumentLoadIssue> Issues)> LoadAsync(IDocumentLoader loader, DocumentSource source)
    {
        var issues = new CollectingProgress<DocumentLoadIssue>();
        List<Document> documents = await loader.LoadAsync(source, issues).ToListAsync();
        return (documents, issues.Items);
    }

    public static async Task<(List<Document> Documents, IReadOnlyList<DocumentLoadIssue> Issues)> LoadDirectoryAsync(DirectoryDocumentLoader loader, string root)
    {
        var issues = new CollectingProgress<DocumentLoadIssue>();
        List<Document> documents = await loader.LoadAsync(root, issues).ToListAsync();
        return (documents, issues.Items);
    }
}
