using System.Runtime.CompilerServices;
using System.Text;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// Decodes a source's bytes as UTF-8 (a byte-order mark may switch to UTF-16/32), replacing invalid bytes with U+FFFD and
/// reporting once per source that it did so.
/// </summary>
internal static class SourceText
{
    /// <summary>Opens a reader over the source; <c>InvalidBytesFound</c> on the flag tells whether bytes were replaced.</summary>
    public static (StreamReader Reader, ReplacementFlag Flag) OpenReader(DocumentSource source)
    {
        var flag = new ReplacementFlag();
        var encoding = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).Clone();
        encoding.DecoderFallback = flag;
        Stream stream = Open(source);
        return (new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024), flag);
    }

    /// <summary>
    /// Loads a one-document-a-source format: reads the whole text, turns it into a document with <paramref name="toDocument"/>,
    /// and skips (and reports) a source or document without text. The source is checked when called, not when enumerated.
    /// </summary>
    public static IAsyncEnumerable<Document> LoadOneAsync(
        DocumentSource source, IProgress<DocumentLoadIssue>? issues, Func<string, Document> toDocument, CancellationToken cancellationToken)
    {
        Throw.IfNull(source);
        return LoadOneCoreAsync(source, issues, toDocument, cancellationToken);
    }

    private static async IAsyncEnumerable<Document> LoadOneCoreAsync(
        DocumentSource source, IProgress<DocumentLoadIssue>? issues, Func<string, Document> toDocument, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string text = await ReadAllAsync(source, issues, cancellationToken).ConfigureAwait(false);
        Document? document = string.IsNullOrWhiteSpace(text) ? null : toDocument(text);
        if (document is null || string.IsNullOrWhiteSpace(document.Text))
        {
            ReportEmpty(source.Name, source.Name, issues);
            yield break;
        }

        yield return document;
    }

    /// <summary>Reads the whole source as text, reporting replaced invalid UTF-8.</summary>
    public static async Task<string> ReadAllAsync(DocumentSource source, IProgress<DocumentLoadIssue>? issues, CancellationToken cancellationToken)
    {
        var (reader, flag) = OpenReader(source);
        using (reader)
        {
            string text;
            try
            {
                text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw ReadFailed(source, ex);
            }

            ReportReplacements(source, flag, issues);
            return text;
        }
    }

    /// <summary>Opens the source's stream, turning I/O failures into <see cref="DocumentLoadException"/>.</summary>
    public static Stream Open(DocumentSource source)
    {
        try
        {
            return source.Open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ReadFailed(source, ex);
        }
    }

    /// <summary>
    /// Opens the source for a format read by random access (PDF, DOCX): a seekable stream, such as a file's, is returned as
    /// it is, so the file is never copied into memory; any other stream is copied into a <see cref="MemoryStream"/> once.
    /// </summary>
    public static async Task<Stream> OpenSeekableAsync(DocumentSource source, CancellationToken cancellationToken)
    {
        Stream stream = Open(source);
        if (stream.CanSeek)
        {
            return stream;
        }

        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            try
            {
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await buffer.DisposeAsync().ConfigureAwait(false);
                throw ReadFailed(source, ex);
            }

            buffer.Position = 0;
            return buffer;
        }
    }

    /// <summary>Creates the exception for a source that cannot be read.</summary>
    public static DocumentLoadException ReadFailed(DocumentSource source, Exception inner) =>
        new($"Cannot read '{source.Name}': {inner.Message}", inner) { SourceName = source.Name };

    /// <summary>Turns a load failure into the issue reported by callers that skip the rest of the source and go on.</summary>
    public static DocumentLoadIssue ToIssue(DocumentLoadException exception, string sourceName, string message)
    {
        bool unreadable = exception.InnerException is IOException or UnauthorizedAccessException;
        return new DocumentLoadIssue(sourceName, unreadable ? DocumentLoadIssueKind.Unreadable : DocumentLoadIssueKind.Malformed, message)
        {
            LineNumber = exception.LineNumber,
            DocumentId = exception.RecordId,
        };
    }

    /// <summary>Reports that invalid UTF-8 was replaced, if it was.</summary>
    public static void ReportReplacements(DocumentSource source, ReplacementFlag flag, IProgress<DocumentLoadIssue>? issues)
    {
        if (flag.InvalidBytesFound)
        {
            issues?.Report(new DocumentLoadIssue(
                source.Name,
                DocumentLoadIssueKind.InvalidUtf8,
                "The file is not valid UTF-8; invalid bytes were replaced with U+FFFD. Re-save it as UTF-8 to keep the original characters."));
        }
    }

    /// <summary>Reports a document skipped for having no text.</summary>
    public static void ReportEmpty(string sourceName, string? documentId, IProgress<DocumentLoadIssue>? issues, int? lineNumber = null) =>
        issues?.Report(new DocumentLoadIssue(sourceName, DocumentLoadIssueKind.Empty, "The document has no text; it was skipped.")
        {
            DocumentId = documentId,
            LineNumber = lineNumber,
        });

    /// <summary>Gets the file name of a source name without its extension, as a fallback title.</summary>
    public static string? FileTitle(string sourceName)
    {
        string title = Path.GetFileNameWithoutExtension(sourceName.Replace('\\', '/').Split('/')[^1]);
        return title.Length > 0 ? title : null;
    }

    /// <summary>
    /// A decoder fallback that replaces each invalid sequence with U+FFFD, as the default does, and remembers that it did.
    /// It only sets a flag (never counts), because a decoder may run the fallback more than once for the same bytes.
    /// </summary>
    internal sealed class ReplacementFlag : DecoderFallback
    {
        private volatile bool _invalidBytesFound;

        public bool InvalidBytesFound => _invalidBytesFound;

        public override int MaxCharCount => 1;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

        private sealed class Buffer(ReplacementFlag owner) : DecoderFallbackBuffer
        {
            private int _remaining;

            public override int Remaining => _remaining;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                owner._invalidBytesFound = true;
                _remaining = 1;
                return true;
            }

            public override char GetNextChar()
            {
                if (_remaining == 0)
                {
                    return '\0';
                }

                _remaining--;
                return '\uFFFD';
            }

            public override bool MovePrevious()
            {
                if (_remaining != 0)
                {
                    return false;
                }

                _remaining = 1;
                return true;
            }

            public override void Reset() => _remaining = 0;
        }
    }
}
