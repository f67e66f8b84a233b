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
        Directory.CreateDirectory(Path.Combine(docs, "guide"));
        File.WriteAllText(Path.Combine(docs, "warranty.md"), """
            # Warranty

            ## Routers

            Every router comes with a warranty of three years from the date of purchase.
            The warranty covers hardware faults but not damage from lightning.

            ## Cables

            Cables are guaranteed for one year.
            """);
        File.WriteAllText(Path.Combine(docs, "guide", "install.md"), """
            # Installation

            Place the router in a central spot, away from microwaves and thick walls.
            Connect the WAN port to the modem, then open the admin page at 192.168.1.1 to set a password.
            """);
        File.WriteAllText(Path.Combine(docs, "returns.md"), """
            # Returns

            Unused products can be returned within 30 days for a full refund; keep the receipt.
            Opened <b>software</b> & "licences" cannot be returned.
            """);
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
