using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace AiEng.Retrieval;

/// <summary>
/// Loads an HTML file as one document, parsed with AngleSharp: the visible text of the body (scripts, styles, templates
/// and other non-content elements dropped; links and headings keep their text), with a <see cref="DocumentSection"/> per
/// heading (<c>h1</c>–<c>h6</c>) that lists the headings it is under.
/// </summary>
/// <remarks>
/// <para>
/// Block elements (paragraphs, headings, list items, table rows, ...) are separated by line breaks, paragraphs and
/// headings by a blank line; runs of whitespace collapse to one space except inside <c>pre</c>. The title is the
/// <c>&lt;title&gt;</c>, else the first <c>h1</c>, else the file name. The metadata holds <c>format</c> = <c>html</c>.
/// </para>
/// <para>
/// The file is decoded as UTF-8 (not by its <c>meta charset</c>); invalid bytes are replaced and reported as by
/// <see cref="TextDocumentLoader"/>. A page without visible text is skipped and reported.
/// </para>
/// </remarks>
public sealed class HtmlDocumentLoader : IDocumentLoader
{
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "head", "svg", "canvas", "iframe", "object", "embed", "button", "select",
    };

    private static readonly HashSet<string> ParagraphBlocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "header", "footer", "nav", "main", "aside", "blockquote", "pre", "table", "ul", "ol",
        "dl", "figure", "form", "fieldset", "details", "hr", "address",
    };

    private static readonly HashSet<string> LineBlocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "li", "tr", "dt", "dd", "figcaption", "caption", "summary", "legend", "option",
    };

    /// <inheritdoc />
    public IAsyncEnumerable<Document> LoadAsync(DocumentSource source, IProgress<DocumentLoadIssue>? issues, CancellationToken cancellationToken = default) =>
        SourceText.LoadOneAsync(source, issues, html => Extract(source, html), cancellationToken);

    private static Document Extract(DocumentSource source, string html)
    {
        IHtmlDocument page = new HtmlParser().ParseDocument(html);
        var writer = new Writer();
        if (page.Body is not null)
        {
            writer.Visit(page.Body);
        }

        string text = writer.Finish();
        string? title = page.Title?.Trim();
        return new Document(source.Name, text)
        {
            Source = source.Name,
            Title = string.IsNullOrEmpty(title) ? writer.FirstH1 ?? SourceText.FileTitle(source.Name) : title,
            Metadata = new Dictionary<string, string> { ["format"] = "html" },
            Sections = writer.Sections,
        };
    }

    /// <summary>Writes the visible text of a DOM tree and records the heading sections.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder _text = new();
        private readonly HeadingSections _sections = new();
        private int _pendingBreak; // 0 none, 1 line, 2 blank line
        private bool _pendingSpace;
        private int _preDepth;

        public List<DocumentSection> Sections => _sections.Sections;

        public string? FirstH1 { get; private set; }

        public void Visit(INode node)
        {
            foreach (INode child in node.ChildNodes)
            {
                if (child is IText textNode)
                {
                    AppendText(textNode.Data);
                }
                else if (child is IElement element && !Dropped.Contains(element.LocalName))
                {
                    VisitElement(element);
                }
            }
        }

        public string Finish()
        {
            _sections.Finish(_text.Length);
            return _text.ToString();
        }

        private void VisitElement(IElement element)
        {
            string name = element.LocalName;
            int headingLevel = name.Length == 2 && name[0] is 'h' or 'H' && name[1] is >= '1' and <= '6' ? name[1] - '0' : 0;
            if (name.Equals("br", StringComparison.OrdinalIgnoreCase))
            {
                Break(1);
                return;
            }

            int breakLevel = headingLevel > 0 || ParagraphBlocks.Contains(name) ? 2 : LineBlocks.Contains(name) ? 1 : 0;
            Break(breakLevel);
            if (headingLevel > 0)
            {
                StartHeading(element, headingLevel);
            }

            bool pre = name.Equals("pre", StringComparison.OrdinalIgnoreCase);
            _preDepth += pre ? 1 : 0;
            Visit(element);
            _preDepth -= pre ? 1 : 0;
            Break(breakLevel);
        }

        private void StartHeading(IElement element, int level)
        {
            string heading = Collapse(element.TextContent);
            if (heading.Length == 0)
            {
                return;
            }

            if (level == 1)
            {
                FirstH1 ??= heading;
            }

            // The heading's text starts after the pending break is written: flush it now so the section starts there.
            FlushBreak();
            _sections.StartHeading(level, heading, _text.Length);
        }

        private void AppendText(string data)
        {
            if (_preDepth > 0)
            {
                FlushBreak();
                _text.Append(data.Replace("\r\n", "\n", StringComparison.Ordinal));
                return;
            }

            foreach (char c in data)
            {
                if (char.IsWhiteSpace(c))
                {
                    _pendingSpace = true;
                    continue;
                }

                if (_pendingBreak > 0)
                {
                    FlushBreak();
                }
                else if (_pendingSpace && _text.Length > 0 && !char.IsWhiteSpace(_text[^1]))
                {
                    _text.Append(' ');
                }

                _pendingSpace = false;
                _text.Append(c);
            }
        }

        private void Break(int level) => _pendingBreak = Math.Max(_pendingBreak, level);

        private void FlushBreak()
        {
            if (_text.Length > 0 && _pendingBreak > 0)
            {
                _text.Append('\n', _pendingBreak);
            }

            _pendingBreak = 0;
            _pendingSpace = false;
        }

        private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
