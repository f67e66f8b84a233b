namespace AiEng.Packaging.Tests;

/// <summary>Locates the repository the tests run from.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static IReadOnlyList<string> PackableProjects { get; } =
        Directory.GetDirectories(Path.Combine(FindRoot(), "src"))
            .Select(dir => Path.Combine(dir, Path.GetFileName(dir) + ".csproj"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The packable projects that are .NET tools (<c>PackAsTool</c>): applications, not libraries to reference.</summary>
    public static IReadOnlyList<string> ToolProjects { get; } =
        PackableProjects.Where(path => File.ReadAllText(path).Contains("<PackAsTool>true</PackAsTool>", StringComparison.Ordinal)).ToArray();

    /// <summary>The packable projects that are libraries.</summary>
    public static IReadOnlyList<string> LibraryProjects { get; } = PackableProjects.Except(ToolProjects).ToArray();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AiEng.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"AiEng.sln was not found above {AppContext.BaseDirectory}.");
    }
}
