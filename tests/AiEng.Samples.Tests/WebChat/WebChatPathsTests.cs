using AiEng.Samples.WebChat;

namespace AiEng.Samples.Tests.WebChat;

public sealed class WebChatPathsTests
{
    [Fact]
    public void Without_arguments_the_repositorys_docs_and_a_store_beside_the_sample_are_used()
    {
        // The tests run from the repository's build output, so the repository (AiEng.sln) is found above it.
        WebChatPaths paths = WebChatPaths.Resolve(null, null);

        string root = Path.GetDirectoryName(paths.DocsDirectory)!;
        Assert.True(File.Exists(Path.Combine(root, "AiEng.sln")), paths.DocsDirectory);
        Assert.Equal(Path.Combine(root, "samples", "WebChat", ".data"), paths.StoreDirectory);
        Assert.Equal(Path.Combine(root, "samples", "WebChat", ".data", "webchat.db"), paths.DatabasePath);
    }

    [Fact]
    public void Folders_given_on_the_command_line_are_used_and_a_missing_docs_folder_says_how_to_give_one()
    {
        string docs = Directory.CreateTempSubdirectory("aieng-webchat-paths-").FullName;
        try
        {
            WebChatPaths paths = WebChatPaths.Resolve(docs, Path.Combine(docs, "store"));

            Assert.Equal(docs, paths.DocsDirectory);
            Assert.Equal(Path.Combine(docs, "store", "embedding-cache"), paths.EmbeddingCacheDirectory);
            var missing = Assert.Throws<DirectoryNotFoundException>(() => WebChatPaths.Resolve(Path.Combine(docs, "nope"), null));
            Assert.Contains("--docs DIR", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(docs, recursive: true);
        }
    }
}
