using AiEng.Retrieval;
using AiEng.Tests.TestSupport;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using AiEngDocument = AiEng.Retrieval.Document;
using WordDocument = DocumentFormat.OpenXml.Wordprocessing.Document;

namespace AiEng.Tests.Retrieval.Loaders;

public class DocxDocumentLoaderTests
{
    [Fact]
    public async Task Reads_paragraphs_with_a_section_per_heading_and_the_core_title()
    {
        byte[] docx = BuildDocx(
            [P("Handbook", "Title"), P("Intro", "Heading1"), P("Welcome text."), P("Leave", "Heading2"), P("Take leave."), P("Pay", "Heading1"), P("Paid monthly.")],
            coreTitle: "Employee handbook");

        var (documents, issues) = await TestSources.LoadAsync(new DocxDocumentLoader(), TestSources.FromBytes(docx, "hr/handbook.docx"));

        AiEngDocument document = Assert.Single(documents);
        Assert.Empty(issues);
        Assert.Equal("hr/handbook.docx", document.Id);
        Assert.Equal("Employee handbook", document.Title);
        Assert.Equal("docx", document.Metadata["format"]);
        Assert.Equal("Handbook\n\nIntro\n\nWelcome text.\n\nLeave\n\nTake leave.\n\nPay\n\nPaid monthly.", document.Text);
        Assert.Equal(
            ["", "Intro", "Intro > Leave", "Pay"],
            document.Sections.Select(section => string.Join(" > ", section.HeadingPath)));
        Assert.Equal("Intro\n\nWelcome text.\n\n", Slice(document, 1));
        Assert.Equal("Leave\n\nTake leave.\n\n", Slice(document, 2));
        Assert.Equal("Pay\n\nPaid monthly.", Slice(document, 3));
    }

    [Fact]
    public async Task Takes_the_title_paragraph_then_the_first_level_one_heading_when_the_core_title_is_missing()
    {
        byte[] withTitle = BuildDocx([P("Intro", "Heading1"), P("Handbook", "Title"), P("Text.")]);
        byte[] withHeading = BuildDocx([P("Text first."), P("Intro", "Heading1")]);
        byte[] plain = BuildDocx([P("Only text.")]);

        Assert.Equal("Handbook", (await LoadOneAsync(withTitle, "a.docx")).Title);
        Assert.Equal("Intro", (await LoadOneAsync(withHeading, "b.docx")).Title);
        Assert.Equal("notes", (await LoadOneAsync(plain, "dir/notes.docx")).Title);
    }

    [Fact]
    public async Task Writes_tables_row_by_row_keeps_tabs_and_breaks_and_drops_deleted_text_and_field_codes()
    {
        var table = new Table(
            new TableRow(Cell("Name"), Cell("Days")),
            new TableRow(Cell("Annual"), Cell("25")),
            new TableRow(Cell(""), Cell("")));
        var runs = new Paragraph(
            new Run(new Text("a")),
            new Run(new TabChar(), new Text("b")),
            new Run(new Break(), new Text("c")),
            new DeletedRun(new Run(new DeletedText("gone"))),
            new Run(new FieldCode(" PAGE ")),
            new Run(new Text("d")));

        AiEngDocument document = await LoadOneAsync(BuildDocx([P("Before."), table, runs]), "t.docx");

        Assert.Equal("Before.\n\nName\tDays\nAnnual\t25\n\na\tb\ncd", document.Text);
    }

    [Fact]
    public async Task Recognises_headings_by_style_name_based_on_styles_and_outline_levels()
    {
        var styles = new Styles(
            StyleOf("Kop1", "heading 1", basedOn: null),
            StyleOf("ChapterHead", "Chapter head", basedOn: "Kop1"),
            new Style(new StyleName { Val = "Outlined" }, new StyleParagraphProperties(new OutlineLevel { Val = 1 })) { Type = StyleValues.Paragraph, StyleId = "Outlined" });
        var outlined = new Paragraph(new ParagraphProperties(new OutlineLevel { Val = 2 }), new Run(new Text("Third level")));

        AiEngDocument document = await LoadOneAsync(
            BuildDocx([P("One", "Kop1"), P("a."), P("Two", "ChapterHead"), P("Sub", "Outlined"), outlined, P("b.")], styles: styles),
            "s.docx");

        Assert.Equal(
            ["One", "Two", "Two > Sub", "Two > Sub > Third level"],
            document.Sections.Select(section => string.Join(" > ", section.HeadingPath)));
    }

    [Fact]
    public async Task Reads_content_controls_like_the_blocks_they_hold()
    {
        var control = new SdtBlock(new SdtContentBlock(P("Inside a control.")));

        AiEngDocument document = await LoadOneAsync(BuildDocx([P("Outside."), control]), "c.docx");

        Assert.Equal("Outside.\n\nInside a control.", document.Text);
    }

    [Fact]
    public async Task Skips_a_document_without_text()
    {
        var (documents, issues) = await TestSources.LoadAsync(new DocxDocumentLoader(), TestSources.FromBytes(BuildDocx([P("   ")]), "blank.docx"));

        Assert.Empty(documents);
        Assert.Equal(DocumentLoadIssueKind.Empty, Assert.Single(issues).Kind);
    }

    [Fact]
    public async Task A_file_that_is_not_a_word_document_fails_naming_it_and_saying_what_to_do()
    {
        byte[] notZip = "{\\rtf1 this is an old format}"u8.ToArray();

        var ex = await Assert.ThrowsAsync<DocumentLoadException>(() => TestSources.LoadAsync(new DocxDocumentLoader(), TestSources.FromBytes(notZip, "old.docx")));

        Assert.Equal("old.docx", ex.SourceName);
        Assert.Contains("'old.docx'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("save a Word 97-2003 .doc file as .docx", ex.Message, StringComparison.Ordinal);
    }

    // Found by fuzzing: System.IO.Packaging reported these damaged packages with exceptions the loader let escape.
    [Theory]
    [InlineData("missing-part.docx", typeof(InvalidOperationException))]
    [InlineData("core-properties-unknown-element.docx", typeof(ArgumentOutOfRangeException))]
    [InlineData("part-uri-ending-with-slash.docx", typeof(ArgumentException))]
    [InlineData("internal-relationship-with-absolute-target.docx", typeof(ArgumentException))]
    public async Task A_damaged_package_fails_with_a_load_error_naming_the_file(string input, Type cause)
    {
        byte[] damaged = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fuzzing", "regressions", "docx", input));

        var ex = await Assert.ThrowsAsync<DocumentLoadException>(() => TestSources.LoadAsync(new DocxDocumentLoader(), TestSources.FromBytes(damaged, "damaged.docx")));

        Assert.Equal("damaged.docx", ex.SourceName);
        Assert.Contains("'damaged.docx'", ex.Message, StringComparison.Ordinal);
        Assert.IsType(cause, ex.InnerException);
    }

    [Fact]
    public async Task Reads_a_stream_that_cannot_seek()
    {
        byte[] docx = BuildDocx([P("Streamed text.")]);

        var (documents, _) = await TestSources.LoadAsync(new DocxDocumentLoader(), TestSources.ForwardOnly(docx, "net.docx"));

        Assert.Equal("Streamed text.", Assert.Single(documents).Text);
    }

    [Fact]
    public async Task The_directory_loader_reads_docx_files_once_AddDocx_is_called()
    {
        using var root = new TempDirectory();
        File.WriteAllBytes(Path.Combine(root.Path, "a.docx"), BuildDocx([P("Word text.")]));
        var issues = new CollectingProgress<DocumentLoadIssue>();

        var without = await new DirectoryDocumentLoader().LoadAsync(root.Path, issues).ToListAsync();
        var with = await new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions().AddDocx()).LoadAsync(root.Path).ToListAsync();

        Assert.Empty(without);
        DocumentLoadIssue issue = Assert.Single(issues.Items);
        Assert.Equal(DocumentLoadIssueKind.Unsupported, issue.Kind);
        Assert.Contains("AiEng.Retrieval.Docx", issue.Message, StringComparison.Ordinal);
        Assert.Contains("AddDocx()", issue.Message, StringComparison.Ordinal);
        Assert.Equal("Word text.", Assert.Single(with).Text);
    }

    private static async Task<AiEngDocument> LoadOneAsync(byte[] docx, string name)
    {
        var (documents, _) = await TestSources.LoadAsync(new DocxDocumentLoader(), TestSources.FromBytes(docx, name));
        return Assert.Single(documents);
    }

    private static string Slice(AiEngDocument document, int section) =>
        document.Text[document.Sections[section].StartOffset..document.Sections[section].EndOffset];

    private static Paragraph P(string text, string? style = null)
    {
        var paragraph = new Paragraph();
        if (style is not null)
        {
            paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        }

        paragraph.Append(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        return paragraph;
    }

    private static TableCell Cell(string text) => new(P(text));

    private static Style StyleOf(string id, string name, string? basedOn)
    {
        var style = new Style(new StyleName { Val = name }) { Type = StyleValues.Paragraph, StyleId = id };
        if (basedOn is not null)
        {
            style.Append(new BasedOn { Val = basedOn });
        }

        return style;
    }

    private static byte[] BuildDocx(OpenXmlElement[] blocks, string? coreTitle = null, Styles? styles = null)
    {
        using var memory = new MemoryStream();
        using (var word = WordprocessingDocument.Create(memory, WordprocessingDocumentType.Document))
        {
            MainDocumentPart main = word.AddMainDocumentPart();
            main.Document = new WordDocument(new Body(blocks));
            if (styles is not null)
            {
                main.AddNewPart<StyleDefinitionsPart>().Styles = styles;
            }

            if (coreTitle is not null)
            {
                word.PackageProperties.Title = coreTitle;
            }
        }

        return memory.ToArray();
    }
}
