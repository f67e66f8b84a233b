using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// Loads a JSON-lines file (one JSON object a line) as one document per record: the id, text and title come from the fields
/// named in <see cref="JsonlDocumentLoaderOptions"/>; <see cref="JsonlDocumentLoaderOptions.ForBeirCorpus"/> reads a BEIR
/// <c>corpus.jsonl</c>.
/// </summary>
/// <remarks>
/// <para>
/// The file is read line by line, and no more than <see cref="JsonlDocumentLoaderOptions.MaxLineChars"/> characters of one
/// line are held, so memory stays bounded however long a line is (a longer line is malformed). Blank lines are ignored. A record whose text is
/// missing or only whitespace is skipped and reported as <see cref="DocumentLoadIssueKind.Empty"/> with its line. A line
/// that is not a JSON object, or has no id, throws <see cref="DocumentLoadException"/> naming the source and the 1-based
/// line (documents before it have already been returned), or with <see cref="JsonlDocumentLoaderOptions.SkipMalformedLines"/>
/// is reported as <see cref="DocumentLoadIssueKind.Malformed"/> and skipped alone. Invalid UTF-8 is replaced and reported once per file.
/// </para>
/// <para>The metadata holds <c>format</c> = <c>jsonl</c>, <c>line</c> and, by default, the record's other scalar fields.</para>
/// </remarks>
public sealed class JsonlDocumentLoader : IDocumentLoader
{
    private readonly JsonlDocumentLoaderOptions _options;

    /// <summary>Initializes a new instance of the <see cref="JsonlDocumentLoader"/> class.</summary>
    /// <param name="options">The field names; <see langword="null"/> for the defaults (<c>id</c>, <c>text</c>, <c>title</c>). The options are copied.</param>
    /// <exception cref="ArgumentException">A field name is empty or whitespace.</exception>
    /// <exception cref="ArgumentNullException"><see cref="JsonlDocumentLoaderOptions.IdField"/> or <see cref="JsonlDocumentLoaderOptions.TextField"/> is <see langword="null"/>.</exception>
    public JsonlDocumentLoader(JsonlDocumentLoaderOptions? options = null)
    {
        _options = (options ?? new JsonlDocumentLoaderOptions()).ValidateAndClone();
    }

    /// <inheritdoc />
    public IAsyncEnumerable<Document> LoadAsync(DocumentSource source, IProgress<DocumentLoadIssue>? issues, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(source);
        return LoadCoreAsync(source, issues, cancellationToken);
    }

    private async IAsyncEnumerable<Document> LoadCoreAsync(
        DocumentSource source, IProgress<DocumentLoadIssue>? issues, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (reader, flag) = SourceText.OpenReader(source);
        using (reader)
        {
            var lines = new BoundedLineReader(reader, _options.MaxLineChars);
            int lineNumber = 0;
            while (true)
            {
                (string? line, bool tooLong, long length, bool end) read;
                try
                {
                    read = await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw SourceText.ReadFailed(source, ex);
                }

                if (read.end)
                {
                    break;
                }

                string? line = read.line;
                lineNumber++;
                if (!read.tooLong && string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                Document? document;
                try
                {
                    document = read.tooLong
                        ? throw Malformed(source, lineNumber, null, string.Create(CultureInfo.InvariantCulture,
                            $"the line is {read.length:N0} characters long, more than JsonlDocumentLoaderOptions.MaxLineChars ({_options.MaxLineChars:N0}), so it was not parsed; raise MaxLineChars if such records are expected"), null)
                        : Parse(source, line!, lineNumber, issues);
                }
                catch (DocumentLoadException ex) when (_options.SkipMalformedLines)
                {
                    issues?.Report(SourceText.ToIssue(ex, source.Name, ex.Message + " The line was skipped and the next lines were read."));
                    continue;
                }

                if (document is not null)
                {
                    yield return document;
                }
            }

            SourceText.ReportReplacements(source, flag, issues);
        }
    }

    private Document? Parse(DocumentSource source, string line, int lineNumber, IProgress<DocumentLoadIssue>? issues)
    {
        if (!JsonText.TryParse(line, out JsonDocument? json, out string? problem, out JsonException? parseError))
        {
            throw Malformed(source, lineNumber, null, "the line " + problem, parseError);
        }

        using (json)
        {
            JsonElement record = json.RootElement;
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(source, lineNumber, null, $"expected a JSON object, found {record.ValueKind}", null);
            }

            string? id = record.TryGetProperty(_options.IdField, out JsonElement idElement) ? Scalar(idElement) : null;
            if (string.IsNullOrWhiteSpace(id))
            {
                throw Malformed(source, lineNumber, null, $"the record has no '{_options.IdField}' (string or number)", null);
            }

            string? text = null;
            if (record.TryGetProperty(_options.TextField, out JsonElement textElement) && textElement.ValueKind != JsonValueKind.Null)
            {
                text = textElement.ValueKind == JsonValueKind.String
                    ? textElement.GetString()
                    : throw Malformed(source, lineNumber, id, $"the field '{_options.TextField}' is a {textElement.ValueKind}, not a string", null);
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                SourceText.ReportEmpty(source.Name, id, issues, lineNumber);
                return null;
            }

            string? title = _options.TitleField is not null && record.TryGetProperty(_options.TitleField, out JsonElement titleElement)
                ? Scalar(titleElement)?.Trim()
                : null;

            var metadata = new Dictionary<string, string>
            {
                ["format"] = "jsonl",
                ["line"] = lineNumber.ToString(CultureInfo.InvariantCulture),
            };
            if (_options.IncludeOtherFieldsAsMetadata)
            {
                foreach (JsonProperty property in record.EnumerateObject())
                {
                    if (property.Name != _options.IdField && property.Name != _options.TextField && property.Name != _options.TitleField
                        && Scalar(property.Value) is string value)
                    {
                        metadata.TryAdd(property.Name, value);
                    }
                }
            }

            return new Document(id, text)
            {
                Source = source.Name,
                Title = string.IsNullOrEmpty(title) ? null : title,
                Metadata = metadata,
            };
        }
    }

    private static string? Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static DocumentLoadException Malformed(DocumentSource source, int lineNumber, string? recordId, string problem, Exception? inner) =>
        new($"Malformed JSON lines in '{source.Name}' at line {lineNumber}: {problem}. Fix or remove that line.", inner)
        {
            SourceName = source.Name,
            LineNumber = lineNumber,
            RecordId = recordId,
        };
}
