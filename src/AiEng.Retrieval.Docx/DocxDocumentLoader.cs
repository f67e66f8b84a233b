using System.Runtime.CompilerServices;
using System.Text;
using AiEng.Shared;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace AiEng.Retrieval;

/// <summary>
/// Loads a Word document (<c>.docx</c>, Office Open XML) as one document, read with the Open XML SDK: the text of its body
/// in document order, with a <see cref="DocumentSection"/> per heading that lists the headings it is under.
/// </summary>
/// <remarks>
/// <para>
/// Paragraphs are separated by a blank line, table rows by a line break and table cells by a tab; tabs and line breaks
/// inside a paragraph are kept. Deleted revisions and field codes are not text and are dropped. Content controls are read
/// like the paragraphs and tables they hold. Headers, footers, comments and footnotes are not part of the text.
/// </para>
/// <para>
/// A paragraph is a heading of level n when its style is Word's <c>Heading n</c> (by style id or name, also through a
/// style it is based on) or it has outline level n - 1 (levels 1 to 9). The title is the document's core property
/// <c>Title</c>, else the first paragraph in the <c>Title</c> style, else the first level-1 heading, else the file name.
/// The metadata holds <c>format</c> = <c>docx</c>.
/// </para>
/// <para>
/// A file is read by random access and is not copied into memory (another kind of stream is copied once). A document
/// without text is skipped and reported as <see cref="DocumentLoadIssueKind.Empty"/>. A file that is not a Word document
/// (a Word 97–2003 <c>.doc</c>, say, or a damaged package, whatever the Open XML SDK reports) throws
/// <see cref="DocumentLoadException"/>.
/// </para>
/// </remarks>
public sealed class DocxDocumentLoader : IBinaryDocumentLoader
{
    private const int MaxHeadingLevel = 9;

    /// <inheritdoc />
    public IAsyncEnumerable<Document> LoadAsync(DocumentSource source, IProgress<DocumentLoadIssue>? issues, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(source);
        return LoadCoreAsync(source, issues, cancellationToken);
    }

    private static async IAsyncEnumerable<Document> LoadCoreAsync(
        DocumentSource source, IProgress<DocumentLoadIssue>? issues, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Stream stream = await SourceText.OpenSeekableAsync(source, cancellationToken).ConfigureAwait(false);
        Writer writer;
        string? coreTitle;
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                using WordprocessingDocument word = WordprocessingDocument.Open(stream, isEditable: false);
                coreTitle = word.PackageProperties.Title?.Trim();
                MainDocumentPart? main = word.MainDocumentPart;
                writer = new Writer(HeadingStyles.Read(main?.StyleDefinitionsPart?.Styles), cancellationToken);
                if (main?.Document?.Body is { } body)
                {
                    writer.VisitBlocks(body);
                }
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
            {
                // A damaged package is reported in many ways besides OpenXmlPackageException, InvalidDataException,
                // FileFormatException and XmlException: fuzzing found System.IO.Packaging throwing InvalidOperationException
                // (a relationship to a part that does not exist), ArgumentOutOfRangeException (an unknown element in the
                // core properties) and ArgumentException (a part name ending in '/', an absolute internal target).
                throw new DocumentLoadException(
                    $"Cannot read the Word document '{source.Name}': {ex.Message} It must be a .docx (Office Open XML) file; save a Word 97-2003 .doc file as .docx first.",
                    ex)
                { SourceName = source.Name };
            }
        }

        string text = writer.Finish();
        if (string.IsNullOrWhiteSpace(text))
        {
            SourceText.ReportEmpty(source.Name, source.Name, issues);
            yield break;
        }

        yield return new Document(source.Name, text)
        {
            Source = source.Name,
            Title = !string.IsNullOrEmpty(coreTitle) ? coreTitle : writer.TitleParagraph ?? writer.FirstH1 ?? SourceText.FileTitle(source.Name),
            Metadata = new Dictionary<string, string> { ["format"] = "docx" },
            Sections = writer.Sections,
        };
    }

    /// <summary>The heading level of each paragraph style, and the style ids of the title style.</summary>
    private sealed class HeadingStyles
    {
        private readonly Dictionary<string, int> _levels = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _titles = new(StringComparer.OrdinalIgnoreCase) { "Title" };

        public static HeadingStyles Read(Styles? styles)
        {
            var result = new HeadingStyles();
            var all = styles?.Elements<Style>().Where(style => style.StyleId?.Value is not null).ToDictionary(style => style.StyleId!.Value!, StringComparer.OrdinalIgnoreCase)
                ?? new Dictionary<string, Style>(StringComparer.OrdinalIgnoreCase);
            foreach (var (id, style) in all)
            {
                if (LevelOf(id, all, depth: 0) is int level)
                {
                    result._levels[id] = level;
                }

                if (string.Equals(style.StyleName?.Val?.Value, "Title", StringComparison.OrdinalIgnoreCase))
                {
                    result._titles.Add(id);
                }
            }

            return result;
        }

        /// <summary>Gets the heading level of a paragraph: its own outline level first, then its style's.</summary>
        public int? LevelOf(Paragraph paragraph)
        {
            ParagraphProperties? properties = paragraph.ParagraphProperties;
            if (properties?.OutlineLevel?.Val?.Value is int outline)
            {
                return outline < MaxHeadingLevel ? outline + 1 : null;
            }

            string? styleId = properties?.ParagraphStyleId?.Val?.Value;
            if (styleId is null)
            {
                return null;
            }

            return _levels.TryGetValue(styleId, out int level) ? level : NamedLevel(styleId);
        }

        public bool IsTitle(Paragraph paragraph) =>
            paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value is { } styleId && _titles.Contains(styleId);

        private static int? LevelOf(string id, Dictionary<string, Style> all, int depth)
        {
            if (depth > 16 || !all.TryGetValue(id, out Style? style))
            {
                return NamedLevel(id);
            }

            if (style.StyleParagraphProperties?.OutlineLevel?.Val?.Value is int outline)
            {
                return outline < MaxHeadingLevel ? outline + 1 : null;
            }

            return NamedLevel(id) ?? NamedLevel(style.StyleName?.Val?.Value)
                ?? (style.BasedOn?.Val?.Value is { } basedOn ? LevelOf(basedOn, all, depth + 1) : null);
        }

        /// <summary>Reads n from Word's built-in names: style id <c>Heading2</c> or style name <c>heading 2</c>.</summary>
        private static int? NamedLevel(string? name)
        {
            if (name is null || !name.StartsWith("heading", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            string rest = name["heading".Length..].Trim();
            return rest.Length == 1 && rest[0] is >= '1' and <= '9' ? rest[0] - '0' : null;
        }
    }

    /// <summary>Writes the body's text and records the heading sections.</summary>
    private sealed class Writer(HeadingStyles headings, CancellationToken cancellationToken)
    {
        private readonly StringBuilder _text = new();
        private readonly HeadingSections _sections = new();

        public List<DocumentSection> Sections => _sections.Sections;

        public string? FirstH1 { get; private set; }

        public string? TitleParagraph { get; private set; }

        /// <summary>Writes the paragraphs and tables under <paramref name="container"/> (the body, a cell, a content control).</summary>
        public void VisitBlocks(OpenXmlElement container)
        {
            foreach (OpenXmlElement block in container.ChildElements)
            {
                switch (block)
                {
                    case Paragraph paragraph:
                        WriteParagraph(paragraph);
                        break;
                    case Table table:
                        WriteTable(table);
                        break;
                    case SdtBlock control when control.SdtContentBlock is { } content:
                        VisitBlocks(content);
                        break;
                }
            }
        }

        public string Finish()
        {
            _sections.Finish(_text.Length);
            return _text.ToString();
        }

        private void WriteParagraph(Paragraph paragraph)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string text = ParagraphText(paragraph).Trim();
            if (text.Length == 0)
            {
                return;
            }

            if (headings.IsTitle(paragraph))
            {
                TitleParagraph ??= text;
            }

            BeginBlock();
            if (headings.LevelOf(paragraph) is int level)
            {
                StartHeading(level, text);
            }

            _text.Append(text);
        }

        private void WriteTable(Table table)
        {
            var rows = new List<string>();
            foreach (TableRow row in table.Elements<TableRow>())
            {
                var cells = row.Elements<TableCell>().Select(cell => string.Join(' ', cell.Descendants<Paragraph>().Select(p => ParagraphText(p).Trim()).Where(t => t.Length > 0))).ToArray();
                if (cells.Any(cell => cell.Length > 0))
                {
                    rows.Add(string.Join('\t', cells));
                }
            }

            if (rows.Count > 0)
            {
                BeginBlock();
                _text.AppendJoin('\n', rows);
            }
        }

        private void StartHeading(int level, string heading)
        {
            if (level == 1)
            {
                FirstH1 ??= heading;
            }

            _sections.StartHeading(level, heading, _text.Length);
        }

        /// <summary>Separates the block about to be written from the text before it by a blank line (nothing at the start).</summary>
        private void BeginBlock()
        {
            if (_text.Length > 0)
            {
                _text.Append("\n\n");
            }
        }

        private static string ParagraphText(Paragraph paragraph)
        {
            var text = new StringBuilder();
            foreach (OpenXmlElement element in paragraph.Descendants())
            {
                switch (element)
                {
                    case Text run:
                        text.Append(run.Text);
                        break;
                    case TabChar:
                        text.Append('\t');
                        break;
                    case Break or CarriageReturn:
                        text.Append('\n');
                        break;
                    case NoBreakHyphen:
                        text.Append('-');
                        break;
                }
            }

            return text.ToString();
        }
    }
}
