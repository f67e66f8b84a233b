using AiEng.Samples.Tests.TestSupport;
using AiEng.Samples.WebChat;

namespace AiEng.Samples.Tests.WebChat;

/// <summary>
/// A small documents folder and a store, ingested once by the default (offline) server that the tests of a class share;
/// a test with other settings starts its own server over the same store, whose ingestion then skips every document.
/// </summary>
public sealed class WebChatFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aieng-webchat-tests-" + Guid.NewGuid().ToString("N"));

    internal WebChatPaths Paths { get; private set; } = null!;

    internal WebChatServer Server { get; private set; } = null!;

    /// <summary>The text of a document of the test corpus, as the ingestor read it (line endings normalised).</summary>
    internal string Document(string id) => File.ReadAllText(Path.Combine(Paths.DocsDirectory, id)).ReplaceLineEndings("\n");

    public async Task InitializeAsync()
    {
        string docs = Path.Combine(_root, "docs");
        RouterDocs.Write(docs);

        // Markup in a document, which the page and the source view must show as text.
        File.AppendAllText(Path.Combine(docs, "returns.md"), "Opened <b>software</b> & \"licences\" cannot be returned.\n");
        Paths = new WebChatPaths(docs, Path.Combine(_root, "store"));
        Server = await WebChatServer.StartAsync(Paths);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open: the temporary folder is cleaned up eventually.
        }
    }
}
