using System.Text;
using AiEng.Retrieval;

namespace AiEng.Tests.TestSupport;

/// <summary>In-memory <see cref="DocumentSource"/>s for loader tests.</summary>
internal static class TestSources
{
    public static DocumentSource FromText(string text, string name) => FromBytes(Encoding.UTF8.GetBytes(text), name);

    public static DocumentSource FromBytes(byte[] bytes, string name) => DocumentSource.FromStream(new MemoryStream(bytes), name);

    public static async Task<(List<Document> Documents, IReadOnlyList<DocumentLoadIssue> Issues)> LoadAsync(IDocumentLoader loader, DocumentSource source)
    {
        var issues = new CollectingProgress<DocumentLoadIssue>();
        List<Document> documents = await loader.LoadAsync(source, issues).ToListAsync();
        return (documents, issues.Items);
    }
}
