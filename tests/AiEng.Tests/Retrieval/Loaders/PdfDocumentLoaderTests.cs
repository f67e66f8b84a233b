using AiEng.Retrieval;
using AiEng.Tests.TestSupport;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace AiEng.Tests.Retrieval.Loaders;

public class PdfDocumentLoaderTests
{
    [Fact]
    public async Task Reads_the_text_of_each_page_with_its_page_number()
    {
        byte[] pdf = BuildPdf("Test manual", "First page text.", "Second page text.");

        var (documents, issues) = await TestSources.LoadAsync(new PdfDocumentLoader(), TestSources.FromBytes(pdf, "manuals/test.pdf"));

        Document document = Assert.Single(documents);
        Assert.Empty(issues);
        Assert.Equal("manuals/test.pdf", document.Id);
        Assert.Equal("Test manual", document.Title);
        Assert.Equal("2", document.Metadata["pages"]);
        Assert.Equal([1, 2], document.Sections.Select(s => s.Page!.Value));
        Assert.Equal("First page text.", document.Text[document.Sections[0].StartOffset..document.Sections[0].EndOffset]);
        Assert.Equal("Second page text.", document.Text[document.Sections[1].StartOffset..document.Sections[1].EndOffset]);
        Assert.Equal("First page text.\n\nSecond page text.", document.Text);
    }

    [Fact]
    public async Task Reads_a_stream_that_cannot_seek()
    {
        byte[] pdf = BuildPdf("Streamed", "Streamed page.");

        var (documents, _) = await TestSources.LoadAsync(new PdfDocumentLoader(), TestSources.ForwardOnly(pdf, "net.pdf"));

        Assert.Equal("Streamed page.", Assert.Single(documents).Text);
    }

    [Fact]
    public async Task Skips_a_pdf_without_text()
    {
        byte[] pdf = BuildPdf(null);

        var (documents, issues) = await TestSources.LoadAsync(new PdfDocumentLoader(), TestSources.FromBytes(pdf, "scan.pdf"));

        Assert.Empty(documents);
        Assert.Equal(DocumentLoadIssueKind.Empty, Assert.Single(issues).Kind);
    }

    [Fact]
    public async Task Names_the_file_when_the_pdf_cannot_be_parsed()
    {
        var error = await Assert.ThrowsAsync<DocumentLoadException>(
            () => TestSources.LoadAsync(new PdfDocumentLoader(), TestSources.FromText("not a pdf at all", "broken.pdf")));

        Assert.Equal("broken.pdf", error.SourceName);
        Assert.Contains("broken.pdf", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes a PDF with one page per text (a blank page when no text is given) using PdfPig's builder.</summary>
    internal static byte[] BuildPdf(string? title, params string[] pages)
    {
        var builder = new PdfDocumentBuilder();
        PdfDocumentBuilder.AddedFont font = builder.AddStandard14Font(Standard14Font.Helvetica);
        if (title is not null)
        {
            builder.DocumentInformation.Title = title;
        }

        if (pages.Length == 0)
        {
            builder.AddPage(PageSize.A4);
        }

        foreach (string text in pages)
        {
            builder.AddPage(PageSize.A4).AddText(text, 12, new PdfPoint(25, 700), font);
        }

        return builder.Build();
    }
}
