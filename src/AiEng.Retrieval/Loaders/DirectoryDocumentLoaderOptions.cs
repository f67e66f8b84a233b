using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>Options of <see cref="DirectoryDocumentLoader"/>: which files to load and which loader reads each extension.</summary>
public sealed class DirectoryDocumentLoaderOptions
{
    /// <summary>
    /// Gets or sets the glob patterns of the files to load, relative to the root (<c>*</c>, <c>**</c> and <c>?</c>, as in
    /// Microsoft.Extensions.FileSystemGlobbing). Default: <c>**/*</c> (every file).
    /// </summary>
    public IList<string> Include { get; set; } = ["**/*"];

    /// <summary>Gets or sets the glob patterns of the files to leave out, relative to the root. Default: none.</summary>
    public IList<string> Exclude { get; set; } = [];

    /// <summary>
    /// Gets or sets the loader for each file extension (with the dot, case-insensitive). Files with other extensions are
    /// skipped and reported as <see cref="DocumentLoadIssueKind.Unsupported"/>. Default: <c>.txt</c> and <c>.text</c>
    /// → <see cref="TextDocumentLoader"/>; <c>.md</c> and <c>.markdown</c> → <see cref="MarkdownDocumentLoader"/>;
    /// <c>.jsonl</c> → <see cref="JsonlDocumentLoader"/> with default field names (for a BEIR corpus, set it to one with
    /// <see cref="JsonlDocumentLoaderOptions.ForBeirCorpus"/>). HTML and PDF are read by the packages
    /// <c>AiEng.Retrieval.Html</c> and <c>AiEng.Retrieval.Pdf</c>, and Word's .docx by <c>AiEng.Retrieval.Docx</c>, so that only
    /// applications that read them depend on AngleSharp, PdfPig and the Open XML SDK: add them with their <c>AddHtml()</c>,
    /// <c>AddPdf()</c> and <c>AddDocx()</c> extension methods on these options.
    /// Files of a loader that implements <see cref="IBinaryDocumentLoader"/> are not checked for text first.
    /// </summary>
    public IDictionary<string, IDocumentLoader> Loaders { get; set; } = CreateDefaultLoaders();

    /// <summary>The default <see cref="MaxFileBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxFileBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Gets or sets the size of the largest file that is read, in bytes. A larger file is not opened: it is skipped and
    /// reported as <see cref="DocumentLoadIssueKind.TooLarge"/> with its size and this limit, so that one huge file cannot
    /// exhaust the memory of an ingestion. Default: <see cref="DefaultMaxFileBytes"/> (64 MiB). At least 1.
    /// </summary>
    public long MaxFileBytes { get; set; } = DefaultMaxFileBytes;

    /// <summary>Checks the options and returns a copy, so that later changes by the caller have no effect.</summary>
    /// <exception cref="ArgumentException">A pattern is empty, rooted or contains a <c>..</c> segment, or an extension does not start with a dot.</exception>
    /// <exception cref="ArgumentNullException">A list, pattern or loader is <see langword="null"/>.</exception>
    internal DirectoryDocumentLoaderOptions ValidateAndClone()
    {
        Throw.IfNull(Include);
        Throw.IfNull(Exclude);
        Throw.IfNull(Loaders);
        if (MaxFileBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFileBytes), MaxFileBytes, $"{nameof(MaxFileBytes)} must be at least 1 byte, for example {DefaultMaxFileBytes} (64 MiB).");
        }

        if (Include.Count == 0)
        {
            throw new ArgumentException("At least one include pattern is required, for example '**/*'.", nameof(Include));
        }

        foreach (string pattern in Include.Concat(Exclude))
        {
            CheckPattern(pattern);
        }

        var loaders = new Dictionary<string, IDocumentLoader>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, IDocumentLoader> entry in Loaders)
        {
            if (string.IsNullOrWhiteSpace(entry.Key) || entry.Key[0] != '.')
            {
                throw new ArgumentException($"The extension '{entry.Key}' must start with a dot, for example '.md'.", nameof(Loaders));
            }

            loaders[entry.Key] = entry.Value ?? throw new ArgumentNullException(nameof(Loaders), $"The loader for '{entry.Key}' is null.");
        }

        return new DirectoryDocumentLoaderOptions { Include = [.. Include], Exclude = [.. Exclude], Loaders = loaders, MaxFileBytes = MaxFileBytes };
    }

    private static void CheckPattern(string pattern)
    {
        Throw.IfNullOrWhitespace(pattern);
        string normalized = pattern.Replace('\\', '/');
        if (normalized.StartsWith('/') || Path.IsPathRooted(pattern) || normalized.Split('/').Contains(".."))
        {
            throw new ArgumentException(
                $"The glob pattern '{pattern}' reaches outside the root: patterns are relative to the root and cannot contain '..'.",
                nameof(pattern));
        }
    }

    private static Dictionary<string, IDocumentLoader> CreateDefaultLoaders()
    {
        var text = new TextDocumentLoader();
        var markdown = new MarkdownDocumentLoader();
        return new(StringComparer.OrdinalIgnoreCase)
        {
            [".txt"] = text,
            [".text"] = text,
            [".md"] = markdown,
            [".markdown"] = markdown,
            [".jsonl"] = new JsonlDocumentLoader(),
        };
    }
}
