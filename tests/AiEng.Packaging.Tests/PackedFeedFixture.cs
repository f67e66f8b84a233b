using System.Globalization;

namespace AiEng.Packaging.Tests;

/// <summary>
/// Packs every project in <c>src/</c> once into a temporary folder feed with a version unique to this run,
/// and removes the feed and the restored copies of that version afterwards.
/// </summary>
public sealed class PackedFeedFixture : IAsyncLifetime
{
    public string FeedDirectory { get; } = Path.Combine(Path.GetTempPath(), "aieng-feed-" + Guid.NewGuid().ToString("N")[..8]);

    public string Version { get; } = "0.1.0-packtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    public IReadOnlyList<string> PackageIds { get; } = RepositoryPaths.PackableProjects.Select(Path.GetFileNameWithoutExtension).ToArray()!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FeedDirectory);
        // Libraries first, then tools: a tool's pack builds every library it carries, which the libraries' packs have
        // built by then (one pack does not then build half the repository within its timeout).
        foreach (var project in RepositoryPaths.LibraryProjects.Concat(RepositoryPaths.ToolProjects))
        {
            await ProcessRunner.RunAsync(
                "dotnet",
                $"pack \"{project}\" -c Release -o \"{FeedDirectory}\" -p:Version={Version} -nologo",
                RepositoryPaths.Root,
                TimeSpan.FromMinutes(5));
        }
    }

    public Task DisposeAsync()
    {
        TryDelete(FeedDirectory);
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in PackageIds)
        {
            TryDelete(Path.Combine(globalPackages, id.ToLowerInvariant(), Version));
        }

        return Task.CompletedTask;
    }

    public string PackagePath(string id) => Path.Combine(FeedDirectory, $"{id}.{Version}.nupkg");

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a left-over temporary folder does not change any result.
        }
    }
}
