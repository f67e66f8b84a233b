using System.Runtime.CompilerServices;
using System.Text;
using AiEng.Shared;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace AiEng.Retrieval;

/// <summary>
/// Loads a PDF file as one document, read with PdfPig: the text of each page in content order, pages separated by a blank
/// line, and one <see cref="DocumentSection"/> per page with its 1-based <see cref="DocumentSection.Page"/>.
/// </summary>
/// <remarks>
/// The title is the PDF's document-information title, else the file name. The metadata holds <c>format</c> = <c>pdf</c>
/// and <c>pages</c> (the page count). Pages without text get an empty section; a PDF without any text (for example a scan
/// without OCR) is skipped and reported as <see cref="DocumentLoadIssueKind.Empty"/>. A file PdfPig cannot parse throws
/// <see cref="DocumentLoadException"/>.
/// </remarks>
public sealed class PdfDocumentLoader : IBinaryDocumentLoader
{
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
        var text = new StringBuilder();
        var sections = new List<DocumentSection>();
        string? title;
        int pageCount;
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                // PdfPig reads a seekable stream by random access: a file is not copied into memory.
                using PdfDocument pdf = PdfDocument.Open(stream);
                pageCount = pdf.NumberOfPages;
                title = pdf.Information.Title?.Trim();
                foreach (Page page in pdf.GetPages())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (text.Length > 0)
                    {
                        text.Append("\n\n");
                    }

                    int start = text.Length;
                    text.Append(ContentOrderTextExtractor.GetText(page).Trim());
                    sections.Add(new DocumentSection(start, text.Length) { Page = page.Number });
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new DocumentLoadException($"Cannot read the PDF '{source.Name}': {ex.Message}", ex) { SourceName = source.Name };
            }
        }

        if (string.IsNullOrWhiteSpace(text.ToString()))
        {
            SourceText.ReportEmpty(source.Name, source.Name, issues);
            yield break;
        }

        yield return new Document(source.Name, text.ToString())
        {
            Source = source.Name,
            Title = string.IsNullOrEmpty(title) ? SourceText.FileTitle(source.Name) : title,
            Metadata = new Dictionary<string, string>
            {
                ["format"] = "pdf",
                ["pages"] = pageCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            Sections = sections,
        };
    }
}
