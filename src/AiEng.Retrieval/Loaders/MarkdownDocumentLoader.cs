using System.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace AiEng.Retrieval;

/// <summary>
/// Loads a Markdown file as one document, parsed with Markdig: the text is the Markdown source as it is (so offsets point
/// into the file), and every heading starts a <see cref="DocumentSection"/> whose heading path lists the headings it is under.
/// </summary>
/// <remarks>
/// <para>
/// The title is the <c>title:</c> of a YAML front matter block, else the first level-1 heading, else the first heading, else
/// the file name. Text before the first heading is a section with an empty heading path. The metadata holds
/// <c>format</c> = <c>markdown</c>.
/// </para>
/// <para>Decoding, invalid UTF-8 and empty files are handled as by <see cref="TextDocumentLoader"/>.</para>
/// </remarks>
public sealed class MarkdownDocumentLoader : IDocumentLoader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    /// <inheritdoc />
    public IAsyncEnumerable<Document> LoadAsync(DocumentSource source, IProgress<DocumentLoadIssue>? issues, CancellationToken cancellationToken = default) =>
        SourceText.LoadOneAsync(source, issues, text => Parse(source, text), cancellationToken);

    private static Document Parse(DocumentSource source, string text)
    {
        MarkdownDocument markdown = Markdown.Parse(text, Pipeline);
        var sections = new List<DocumentSection>();
        var path = new List<(int Level, string Text)>();
        string? firstHeading = null, firstH1 = null;
        int sectionStart = 0;
        IReadOnlyList<string> sectionPath = [];
        foreach (HeadingBlock heading in markdown.Descendants<HeadingBlock>())
        {
            string headingText = HeadingText(heading);
            firstHeading ??= headingText;
            if (heading.Level == 1)
            {
                firstH1 ??= headingText;
            }

            int start = heading.Span.Start;
            if (start > sectionStart)
            {
                sections.Add(new DocumentSection(sectionStart, start) { HeadingPath = sectionPath });
            }

            path.RemoveAll(h => h.Level >= heading.Level);
            path.Add((heading.Level, headingText));
            sectionStart = start;
            sectionPath = path.ConvertAll(h => h.Text);
        }

        sections.Add(new DocumentSection(sectionStart, text.Length) { HeadingPath = sectionPath });

        return new Document(source.Name, text)
        {
            Source = source.Name,
            Title = FrontMatterTitle(markdown, text) ?? firstH1 ?? firstHeading ?? SourceText.FileTitle(source.Name),
            Metadata = new Dictionary<string, string> { ["format"] = "markdown" },
            Sections = sections,
        };
    }

    private static string HeadingText(HeadingBlock heading)
    {
        var builder = new StringBuilder();
        if (heading.Inline is not null)
        {
            foreach (Inline inline in heading.Inline.Descendants<Inline>())
            {
                switch (inline)
                {
                    case LiteralInline literal:
                        builder.Append(literal.Content.AsSpan());
                        break;
                    case CodeInline code:
                        builder.Append(code.Content);
                        break;
                    case LineBreakInline:
                        builder.Append(' ');
                        break;
                }
            }
        }

        return builder.ToString().Trim();
    }

    private static string? FrontMatterTitle(MarkdownDocument markdown, string text)
    {
        if (markdown.Count == 0 || markdown[0] is not YamlFrontMatterBlock frontMatter)
        {
            return null;
        }

        // Only the simple `title: value` form is read; a YAML parser is not worth a dependency for one scalar.
        foreach (string line in text.Substring(frontMatter.Span.Start, frontMatter.Span.Length).Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("title:", StringComparison.OrdinalIgnoreCase))
            {
                string value = trimmed["title:".Length..].Trim().Trim('"', '\'').Trim();
                return value.Length > 0 ? value : null;
            }
        }

        return null;
    }
}
