namespace AiEng.Samples.WebChat;

/// <summary>Where the web sample reads its documents from and keeps its store.</summary>
/// <param name="DocsDirectory">The folder of Markdown documents ingested at start-up.</param>
/// <param name="StoreDirectory">The folder of the SQLite file and the embedding cache; created when missing.</param>
internal sealed record WebChatPaths(string DocsDirectory, string StoreDirectory)
{
    /// <summary>Gets the SQLite file of the vector store.</summary>
    public string DatabasePath => Path.Combine(StoreDirectory, "webchat.db");

    /// <summary>Gets the directory of the embedding disk cache.</summary>
    public string EmbeddingCacheDirectory => Path.Combine(StoreDirectory, "embedding-cache");

    /// <summary>
    /// Resolves the paths: <paramref name="docs"/> and <paramref name="store"/> when given, otherwise <c>docs/</c> and
    /// <c>samples/WebChat/.data/</c> of the repository, the first folder holding <c>AiEng.sln</c> at or above the
    /// program's folder or the current one.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The documents folder is not given and cannot be found, or does not exist; the message says how to give one.</exception>
    public static WebChatPaths Resolve(string? docs, string? store)
    {
        string? root = FindRoot(AppContext.BaseDirectory) ?? FindRoot(Directory.GetCurrentDirectory());
        string docsDirectory = docs is not null ? Path.GetFullPath(docs)
            : root is not null ? Path.Combine(root, "docs")
            : throw new DirectoryNotFoundException("Cannot find the repository (AiEng.sln) above the program or the current folder; pass the documents folder with --docs DIR.");
        if (!Directory.Exists(docsDirectory))
        {
            throw new DirectoryNotFoundException($"The documents folder '{docsDirectory}' does not exist; pass another one with --docs DIR.");
        }

        string storeDirectory = store is not null ? Path.GetFullPath(store)
            : root is not null ? Path.Combine(root, "samples", "WebChat", ".data")
            : Path.Combine(Path.GetTempPath(), "aieng-webchat-sample");
        return new WebChatPaths(docsDirectory, storeDirectory);
    }

    private static string? FindRoot(string start)
    {
        DirectoryInfo? directory = new(Path.GetFullPath(start));
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AiEng.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName;
    }
}
