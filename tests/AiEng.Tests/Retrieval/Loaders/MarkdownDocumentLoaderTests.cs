using AiEng.Retrieval;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Retrieval.Loaders;

public class MarkdownDocumentLoaderTests
{
    private const string Guide = """
        Intro before any heading.

        # Guide

        Welcome text.

        ## Install `aieng`

        Run the installer.

        ### On Linux

        Use the package.

        ## Use

        Call the API.
        """;

    [Fact]
    public async Task Keeps_the_markdown_text_and_makes_a_section_per_heading_with_its_heading_path()
    {
        var (documents, _) = await TestSources.LoadAsync(new MarkdownDocumentLoader(), TestSources.FromText(Guide, "docs/guide.md"));

        Document document = Assert.Single(documents);
        Assert.Equal(Guide, document.Text);
        Assert.Equal("Guide", document.Title);
        Assert.Equal(
            [[], ["Guide"], ["Guide", "Install aieng"], ["Guide", "Install aieng", "On Linux"], ["Guide", "Use"]],
            document.Sections.Select(s => s.HeadingPath.ToArray()).ToArray());
        Assert.StartsWith("## Install `aieng`", document.Text[document.Sections[2].StartOffset..], StringComparison.Ordinal);
        Assert.Equal("## Use\n\nCall the API.", document.Text[document.Sections[4].StartOffset..document.Sections[4].EndOffset]);

        // The sections tile the text: each starts where the previous ends.
        Assert.Equal(0, document.Sections[0].StartOffset);
        Assert.Equal(document.Text.Length, document.Sections[^1].EndOffset);
        Assert.All(document.Sections.Zip(document.Sections.Skip(1)), pair => Assert.Equal(pair.First.EndOffset, pair.Second.StartOffset));
    }

    [Fact]
    public async Task Takes_the_title_from_front_matter_before_the_first_heading()
    {
        const string text = "---\ntitle: \"Release notes\"\n---\n\n## Changes\n\nMore.\n";

        var (documents, _) = await TestSources.LoadAsync(new MarkdownDocumentLoader(), TestSources.FromText(text, "notes.md"));

        Assert.Equal("Release notes", Assert.Single(documents).Title);
        Assert.Equal(["Changes"], documents[0].Sections[^1].HeadingPath);
    }

    [Fact]
    public async Task Falls_back_to_the_file_name_as_title_and_skips_empty_files()
    {
        var (documents, _) = await TestSources.LoadAsync(new MarkdownDocumentLoader(), TestSources.FromText("Just text.", "dir/readme.md"));
        var (empty, issues) = await TestSources.LoadAsync(new MarkdownDocumentLoader(), TestSources.FromText("\n\n", "empty.md"));

        Assert.Equal("readme", Assert.Single(documents).Title);
        Assert.Empty(Assert.Single(documents[0].Sections).HeadingPath);
        Assert.Empty(empty);
        Assert.Equal(DocumentLoadIssueKind.Empty, Assert.Single(issues).Kind);
    }
}
