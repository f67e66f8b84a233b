using System.Globalization;
using System.Runtime.CompilerServices;
using AiEng.Shared;
using Microsoft.Extensions.FileSystemGlobbing;

namespace AiEng.Retrieval;

/// <summary>
/// Loads every matching file under a root directory with the <see cref="IDocumentLoader"/> registered for its extension,
/// never reading outside the root, and skipping (and reporting) what it cannot load instead of stopping.
/// </summary>
/// <remarks>
/// <para>
/// Files are matched with the include and exclude globs of <see cref="DirectoryDocumentLoaderOptions"/> and loaded in
/// ordinal order of their relative paths. Each file's source name, and so the id of a one-document-a-file format, is its
/// path relative to the root with <c>/</c> separators (stable across machines); JSON-lines records keep their record ids.
/// </para>
/// <para>
/// Skipped and reported to <c>issues</c>, with the reason: files behind a symbolic link (of the file or of a directory on
/// its path) that resolves outside the root (<see cref="DocumentLoadIssueKind.OutsideRoot"/>; a directory link is reported
/// once and not listed); symbolic links to a directory that contains them, such as <c>loop -&gt; .</c>
/// (<see cref="DocumentLoadIssueKind.SymbolicLinkLoop"/>, reported once and not followed); files without a loader
/// (<see cref="DocumentLoadIssueKind.Unsupported"/>); text files with NUL bytes in their first 8 KB
/// (<see cref="DocumentLoadIssueKind.Binary"/>; PDF files are exempt); files that cannot be read
/// (<see cref="DocumentLoadIssueKind.Unreadable"/>); malformed files (<see cref="DocumentLoadIssueKind.Malformed"/>, with the
/// line; documents before the bad line are kept). The loaders themselves report invalid UTF-8 and empty documents.
/// </para>
/// <para>
/// This type is not an <see cref="IDocumentLoader"/>: its input is a directory, not one source; it composes the
/// per-format loaders. Instances are thread-safe.
/// </para>
/// </remarks>
public sealed class DirectoryDocumentLoader
{
    private const int SniffBytes = 8192;

    // File names are case-insensitive on Windows and (by default) macOS, case-sensitive elsewhere.
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly DirectoryDocumentLoaderOptions _options;

    /// <summary>Initializes a new instance of the <see cref="DirectoryDocumentLoader"/> class.</summary>
    /// <param name="options">The globs and loaders; <see langword="null"/> for the defaults. The options are copied.</param>
    /// <exception cref="ArgumentException">A pattern is empty, rooted or contains <c>..</c>, or an extension does not start with a dot.</exception>
    /// <exception cref="ArgumentNullException">A list, pattern or loader in <paramref name="options"/> is <see langword="null"/>.</exception>
    public DirectoryDocumentLoader(DirectoryDocumentLoaderOptions? options = null)
    {
        _options = (options ?? new DirectoryDocumentLoaderOptions()).ValidateAndClone();
    }

    /// <summary>Loads the documents of every matching file under <paramref name="rootDirectory"/>.</summary>
    /// <param name="rootDirectory">The directory to load; nothing outside it is read.</param>
    /// <param name="issues">Receives every skipped file or document and every repaired text, with the reason; <see langword="null"/> to ignore them.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The documents, file by file in ordinal order of relative path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rootDirectory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="rootDirectory"/> is empty or whitespace.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="rootDirectory"/> does not exist.</exception>
    public IAsyncEnumerable<Document> LoadAsync(string rootDirectory, IProgress<DocumentLoadIssue>? issues = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(rootDirectory);
        var root = new DirectoryInfo(Path.GetFullPath(rootDirectory));
        if (!root.Exists)
        {
            throw new DirectoryNotFoundException($"The directory '{rootDirectory}' to load documents from does not exist.");
        }

        return LoadCoreAsync(root, issues, cancellationToken);
    }

    private async IAsyncEnumerable<Document> LoadCoreAsync(
        DirectoryInfo root, IProgress<DocumentLoadIssue>? issues, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string rootPath = Path.TrimEndingDirectorySeparator(root.FullName);
        string realRootPath = root.LinkTarget is null ? rootPath : Path.TrimEndingDirectorySeparator(root.ResolveLinkTarget(true)?.FullName ?? rootPath);

        var matcher = new Matcher(PathComparison);
        matcher.AddIncludePatterns(_options.Include);
        matcher.AddExcludePatterns(_options.Exclude);
        var skippedLinks = new List<DocumentLoadIssue>();
        var walkRoot = GuardedDirectoryInfo.CreateRoot(
            root, rootPath, realRootPath, PathComparison, (path, kind, message) => skippedLinks.Add(new DocumentLoadIssue(path, kind, message)));
        List<string> files = [.. matcher.Execute(walkRoot).Files.Select(f => f.Path).Distinct().Order(StringComparer.Ordinal)];
        foreach (DocumentLoadIssue skipped in skippedLinks.OrderBy(issue => issue.Source, StringComparer.Ordinal))
        {
            issues?.Report(skipped);
        }
        var listing = issues as IFileListingObserver;
        listing?.FilesListed(files.Count);

        foreach (string relativePath in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            listing?.FileStarted();
            string fullPath = Path.GetFullPath(Path.Combine(rootPath, relativePath));
            if (!IsUnder(fullPath, rootPath) || EscapesRoot(rootPath, realRootPath, relativePath))
            {
                Report(issues, relativePath, DocumentLoadIssueKind.OutsideRoot, "The file resolves to a location outside the root (through a symbolic link); it was skipped.");
                continue;
            }

            if (!_options.Loaders.TryGetValue(Path.GetExtension(relativePath), out IDocumentLoader? loader))
            {
                Report(issues, relativePath, DocumentLoadIssueKind.Unsupported, Unsupported(Path.GetExtension(relativePath)));
                continue;
            }

            if (SizeOf(fullPath) is long size && size > _options.MaxFileBytes)
            {
                Report(issues, relativePath, DocumentLoadIssueKind.TooLarge, string.Create(CultureInfo.InvariantCulture,
                    $"The file is {size:N0} bytes, more than DirectoryDocumentLoaderOptions.MaxFileBytes ({_options.MaxFileBytes:N0}); it was skipped without being read. Raise MaxFileBytes or split the file."));
                continue;
            }

            if (loader is not IBinaryDocumentLoader)
            {
                string? problem = await SniffAsync(fullPath, cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    Report(issues, relativePath, problem.Length == 0 ? DocumentLoadIssueKind.Binary : DocumentLoadIssueKind.Unreadable,
                        problem.Length == 0 ? "The file holds binary data (NUL bytes), not text; it was skipped." : $"The file cannot be read ({problem}); it was skipped.");
                    continue;
                }
            }

            IAsyncEnumerator<Document> documents = loader.LoadAsync(DocumentSource.FromFile(fullPath, relativePath), issues, cancellationToken)
                .GetAsyncEnumerator(cancellationToken);
            await using (documents.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await documents.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (DocumentLoadException ex)
                    {
                        issues?.Report(SourceText.ToIssue(ex, relativePath, ex.Message + " The rest of the file was skipped."));
                        break;
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        Report(issues, relativePath, DocumentLoadIssueKind.Unreadable, $"The file cannot be read ({ex.Message}); it was skipped.");
                        break;
                    }

                    yield return documents.Current;
                }
            }
        }
    }

    /// <summary>Gets the length of the file, or <see langword="null"/> when it cannot be read (the loader then reports why).</summary>
    private static long? SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Report(IProgress<DocumentLoadIssue>? issues, string relativePath, DocumentLoadIssueKind kind, string message) =>
        issues?.Report(new DocumentLoadIssue(relativePath, kind, message));

    private static bool IsUnder(string path, string root)
    {
        string prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return path.Length > prefix.Length && path.StartsWith(prefix, PathComparison);
    }

    /// <summary>Tells whether a symbolic link on the way from the root to the file (the file included) resolves outside the root.</summary>
    private static bool EscapesRoot(string rootPath, string realRootPath, string relativePath)
    {
        string current = rootPath;
        foreach (string part in relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.LinkTarget is null)
            {
                continue;
            }

            string? target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            if (target is null || !(IsUnder(target, rootPath) || IsUnder(target, realRootPath)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the start of a file: <see langword="null"/> when it looks like text, empty when it holds NUL bytes, else why it cannot be read.</summary>
    private static async Task<string?> SniffAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var buffer = new byte[SniffBytes];
            int read;
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                read = await stream.ReadAtLeastAsync(buffer, SniffBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }

            // UTF-16 and UTF-32 text marked by a byte-order mark legitimately holds NUL bytes.
            bool unicodeBom = read >= 2 && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF));
            return !unicodeBom && buffer.AsSpan(0, read).Contains((byte)0) ? string.Empty : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    /// <summary>Says that no loader reads <paramref name="extension"/>, and how to add one where AiEng has it in another package.</summary>
    private static string Unsupported(string extension)
    {
        string fix = extension.ToUpperInvariant() switch
        {
            ".PDF" => " To read PDF files, reference the package AiEng.Retrieval.Pdf and call AddPdf() on the DirectoryDocumentLoaderOptions.",
            ".HTML" or ".HTM" => " To read HTML files, reference the package AiEng.Retrieval.Html and call AddHtml() on the DirectoryDocumentLoaderOptions.",
            ".DOCX" => " To read Word files, reference the package AiEng.Retrieval.Docx and call AddDocx() on the DirectoryDocumentLoaderOptions.",
            ".DOC" => " Word 97-2003 .doc files are not read: save them as .docx, then reference the package AiEng.Retrieval.Docx and call AddDocx() on the DirectoryDocumentLoaderOptions.",
            _ => string.Empty,
        };
        return $"No loader is registered for the extension '{extension}'; the file was skipped.{fix}";
    }
}
