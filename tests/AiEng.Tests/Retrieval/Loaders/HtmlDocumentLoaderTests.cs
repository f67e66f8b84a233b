using AiEng.Retrieval;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Retrieval.Loaders;

public class HtmlDocumentLoaderTests
{
    private const string Page = """
        <!DOCTYPE html>
        <html><head><title> Product   docs </title><style>body { color: red; }</style><script>var secret = 1;</script></head>
        <body>
          <nav><a href="/">Home</a></nav>
          <h1>Getting started</h1>
          <p>Read the <a href="/guide">installation   guide</a> first.<script>alert('x')</script></p>
          <h2>Install</h2>
          <ul><li>Download</li><li>Run</li></ul>
          <noscript>Enable JavaScript</noscript>
          <h2>Configure</h2>
          <p>Edit<br>settings.</p>
        </body></html>
        """;

    [Fact]
    public async Task Keeps_visible_text_headings_and_link_text_and_drops_scripts_and_styles()
    {
        var (documents, _) = await TestSources.LoadAsync(new HtmlDocumentLoader(), TestSources.FromText(Page, "site/index.html"));

        Document document = Assert.Single(documents);
        Assert.Equal(
            "Home\n\nGetting started\n\nRead the installation guide first.\n\nInstall\n\nDownload\nRun\n\nConfigure\n\nEdit\nsettings.",
            document.Text);
        Assert.DoesNotContain("secret", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("color", document.Text, StringComparison.Ordinal);
        Assert.Equal("Product docs", document.Title);
        Assert.Equal("html", document.Metadata["format"]);
    }

    [Fact]
    public async Task Makes_a_section_per_heading_with_offsets_into_the_extracted_text()
    {
        var (documents, _) = await TestSources.LoadAsync(new HtmlDocumentLoader(), TestSources.FromText(Page, "index.html"));

        Document document = documents[0];
        Assert.Equal(
            [[], ["Getting started"], ["Getting started", "Install"], ["Getting started", "Configure"]],
            document.Sections.Select(s => s.HeadingPath.ToArray()).ToArray());
        DocumentSection install = document.Sections[2];
        Assert.Equal("Install\n\nDownload\nRun\n\n", document.Text[install.StartOffset..install.EndOffset]);
    }

    [Fact]
    public async Task Takes_the_title_from_the_first_h1_when_there_is_no_title_element()
    {
        var (documents, _) = await TestSources.LoadAsync(new HtmlDocumentLoader(), TestSources.FromText("<h2>Sub</h2><h1>Main <b>title</b></h1><p>x</p>", "a.html"));

        Assert.Equal("Main title", Assert.Single(documents).Title);
    }

    [Fact]
    public async Task Skips_a_page_without_visible_text()
    {
        var (documents, issues) = await TestSources.LoadAsync(new HtmlDocumentLoader(), TestSources.FromText("<html><head><title>T</title></head><body><script>x()</script></body></html>", "a.html"));

        Assert.Empty(documents);
        Assert.Equal(DocumentLoadIssueKind.Empty, Assert.Single(issues).Kind);
    }
}
