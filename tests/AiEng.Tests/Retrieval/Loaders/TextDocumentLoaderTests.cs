using AiEng.Retrieval;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Retrieval.Loaders;

public class TextDocumentLoaderTests
{
    [Fact]
    public async Task Loads_the_text_as_it_is_with_the_source_name_as_id_and_the_file_name_as_title()
    {
        var (documents, issues) = await TestSources.LoadAsync(new TextDocumentLoader(), TestSources.FromText("Line one.\r\nLine two.\n", "notes/today.txt"));

        Document document = Assert.Single(documents);
        Assert.Equal("notes/today.txt", document.Id);
        Assert.Equal("notes/today.txt", document.Source);
        Assert.Equal("today", document.Title);
        Assert.Equal("Line one.\r\nLine two.\n", document.Text);
        Assert.Equal("text", document.Metadata["format"]);
        Assert.Empty(issues);
    }

    [Fact]
    public async Task Replaces_invalid_utf8_and_reports_it()
    {
        byte[] bytes = [.. "caf"u8, 0xC3, 0x28, .. " ok"u8, 0xFF];

        var (documents, issues) = await TestSources.LoadAsync(new TextDocumentLoader(), TestSources.FromBytes(bytes, "bad.txt"));

        Assert.Equal("caf\uFFFD( ok\uFFFD", Assert.Single(documents).Text);
        DocumentLoadIssue issue = Assert.Single(issues);
        Assert.Equal(DocumentLoadIssueKind.InvalidUtf8, issue.Kind);
        Assert.Equal("bad.txt", issue.Source);
        Assert.False(issue.IsSkipped);
    }

    [Fact]
    public async Task Skips_an_empty_document_and_reports_it()
    {
        var (documents, issues) = await TestSources.LoadAsync(new TextDocumentLoader(), TestSources.FromText(" \n\t ", "blank.txt"));

        Assert.Empty(documents);
        DocumentLoadIssue issue = Assert.Single(issues);
        Assert.Equal(DocumentLoadIssueKind.Empty, issue.Kind);
        Assert.True(issue.IsSkipped);
    }

    [Fact]
    public async Task Names_a_file_that_cannot_be_opened()
    {
        using var temp = new TempDirectory();

        var error = await Assert.ThrowsAsync<DocumentLoadException>(
            async () => await new TextDocumentLoader().LoadFileAsync(temp.Combine("missing.txt")).ToListAsync());

        Assert.Equal(temp.Combine("missing.txt"), error.SourceName);
        Assert.Contains("missing.txt", error.Message, StringComparison.Ordinal);
        Assert.IsType<FileNotFoundException>(error.InnerException);
    }

    [Fact]
    public void Checks_its_arguments_when_called()
    {
        Assert.Throws<ArgumentNullException>(() => new TextDocumentLoader().LoadAsync(null!, null));
    }
}
