using AiEng.Retrieval;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Retrieval;

public class DocumentSourceTests
{
    [Fact]
    public void A_file_source_is_named_by_the_path_as_given_unless_a_name_is_passed()
    {
        using var temp = new TempDirectory();
        string path = temp.WriteText("a.txt", "hello");

        DocumentSource source = DocumentSource.FromFile(path);
        DocumentSource named = DocumentSource.FromFile(path, "docs/a.txt");

        Assert.Equal(path, source.Name);
        Assert.Equal("docs/a.txt", named.Name);
        Assert.Equal(Path.GetFullPath(path), named.FilePath);
        using var reader = new StreamReader(named.Open());
        Assert.Equal("hello", reader.ReadToEnd());
    }

    [Fact]
    public void A_stream_source_has_no_file_path()
    {
        DocumentSource source = DocumentSource.FromStream(new MemoryStream([1, 2]), "memory");

        Assert.Equal("memory", source.Name);
        Assert.Null(source.FilePath);
        Assert.Throws<ArgumentException>(() => DocumentSource.FromStream(new MemoryStream(), ""));
    }
}
