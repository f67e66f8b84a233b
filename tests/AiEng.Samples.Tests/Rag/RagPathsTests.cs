using AiEng.Samples.Rag;

namespace AiEng.Samples.Tests.Rag;

public sealed class RagPathsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aieng-rag-paths-" + Guid.NewGuid().ToString("N"));

    public RagPathsTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "repo", "docs"));
        Directory.CreateDirectory(Path.Combine(_root, "repo", "samples", "Rag", "bin", "Debug", "net10.0"));
        Directory.CreateDirectory(Path.Combine(_root, "elsewhere"));
        File.WriteAllText(Path.Combine(_root, "repo", RagPaths.SolutionFileName), string.Empty);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Finds_the_docs_folder_and_a_local_store_by_walking_up_to_the_solution_file()
    {
        string repo = Path.Combine(_root, "repo");

        RagPaths paths = RagPaths.Resolve(null, null, Path.Combine(_root, "elsewhere"), Path.Combine(repo, "samples", "Rag", "bin", "Debug", "net10.0"));

        Assert.Equal(Path.Combine(repo, "docs"), paths.DocsDirectory);
        Assert.Equal(Path.Combine(repo, "samples", "Rag", ".data"), paths.StoreDirectory);
        Assert.Equal(Path.Combine(repo, "samples", "Rag", ".data", "rag.db"), paths.DatabasePath);
    }

    [Fact]
    public void Uses_the_folders_given_on_the_command_line()
    {
        string docs = Path.Combine(_root, "elsewhere");

        RagPaths paths = RagPaths.Resolve(docs, Path.Combine(_root, "store"), Path.Combine(_root, "repo"));

        Assert.Equal(docs, paths.DocsDirectory);
        Assert.Equal(Path.Combine(_root, "store"), paths.StoreDirectory);
    }

    [Fact]
    public void Outside_a_clone_without_docs_says_to_pass_them()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => RagPaths.Resolve(null, null, Path.Combine(_root, "elsewhere")));

        Assert.Contains("--docs DIR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_docs_folder_is_named()
    {
        string missing = Path.Combine(_root, "missing");

        var error = Assert.Throws<DirectoryNotFoundException>(() => RagPaths.Resolve(missing, null, Path.Combine(_root, "repo")));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }
}
