namespace AiEng.Samples.Rag;

/// <summary>Where the sample reads documents from and keeps its store: found from the repository, or given on the command line.</summary>
/// <param name="DocsDirectory">The folder of Markdown documents to ingest.</param>
/// <param name="StoreDirectory">The folder of the SQLite file and the embedding cache; created when missing.</param>
internal sealed record RagPaths(string DocsDirectory, string StoreDirectory)
{
    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFileName = "AiEng.sln";

    /// <summary>Gets the SQLite file of the vector store.</summary>
    public string DatabasePath => Path.Combine(StoreDirectory, "rag.db");

    /// <summary>Gets the directory of the embedding disk cache.</summary>
    public string EmbeddingCacheDirectory => Path.Combine(StoreDirectory, "embedding-cache");

    /// <summary>
    /// Resolves the paths: <paramref name="docs"/> and <paramref name="store"/> when given, otherwise the repository's
    /// <c>docs/</c> and <c>samples/Rag/.data/</c>, the repository being the first folder holding <c>AiEng.sln</c> above any of
    /// <paramref name="startDirectories"/> (the program's folder, then the current one). Outside a clone the store goes
    /// to the user's temporary folder.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No docs folder is given and none can be found; the message says how to give one.</exception>
    public static RagPaths Resolve(string? docs, string? store, params string[] startDirectories)
    {
        string? root = startDirectories.Select(FindRepositoryRoot).FirstOrDefault(found => found is not null);
        string docsDirectory = docs is not null
            ? Path.GetFullPath(docs)
            : root is not null
                ? Path.Combine(root, "docs")
                : throw new DirectoryNotFoundException(
                    $"Cannot find the repository ({SolutionFileName}) above {string.Join(" or ", startDirectories)}; pass the documents folder with --docs DIR.");
        if (!Directory.Exists(docsDirectory))
        {
            throw new DirectoryNotFoundException($"The documents folder '{docsDirectory}' does not exist; pass another one with --docs DIR.");
        }

        string storeDirectory = store is not null
            ? Path.GetFullPath(store)
            : root is not null
                ? Path.Combine(root, "samples", "Rag", ".data")
                : Path.Combine(Path.GetTempPath(), "aieng-rag-sample");
        return new RagPaths(docsDirectory, storeDirectory);
    }

    /// <summary>Returns the nearest folder at or above <paramref name="start"/> that holds <c>AiEng.sln</c>, or <see langword="null"/>.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
