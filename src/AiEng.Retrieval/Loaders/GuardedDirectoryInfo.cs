using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace AiEng.Retrieval;

/// <summary>
/// A directory as <see cref="DirectoryDocumentLoader"/>'s glob matcher walks it, which does not follow a symbolic link to a
/// directory that resolves outside the root or back to a directory on its own path (a loop), and records each such link
/// once instead.
/// </summary>
/// <remarks>
/// Without this, the matcher follows <c>loop -&gt; .</c> until paths grow too long (about 40 levels), reading every file
/// once per level. A link to another directory inside the root is followed, as before: its files are loaded under the
/// link's path too.
/// </remarks>
internal sealed class GuardedDirectoryInfo : DirectoryInfoBase
{
    private readonly DirectoryInfo _directory;
    private readonly GuardedDirectoryInfo? _parent;
    private readonly string _relativePath;
    private readonly string _realPath;
    private readonly Walk _walk;

    private GuardedDirectoryInfo(DirectoryInfo directory, GuardedDirectoryInfo? parent, string relativePath, string realPath, Walk walk)
    {
        _directory = directory;
        _parent = parent;
        _relativePath = relativePath;
        _realPath = realPath;
        _walk = walk;
    }

    /// <inheritdoc/>
    public override string Name => _directory.Name;

    /// <inheritdoc/>
    public override string FullName => _directory.FullName;

    /// <inheritdoc/>
    public override DirectoryInfoBase? ParentDirectory => _parent;

    /// <summary>Creates the root of a walk.</summary>
    /// <param name="root">The root directory.</param>
    /// <param name="rootPath">Its full path, without a trailing separator.</param>
    /// <param name="realRootPath">The path it resolves to when it is itself a symbolic link, else <paramref name="rootPath"/>.</param>
    /// <param name="pathComparison">How paths compare on this system.</param>
    /// <param name="skipped">Receives each link that was not followed, with its relative path and why, once.</param>
    /// <returns>The root directory for the matcher.</returns>
    public static GuardedDirectoryInfo CreateRoot(
        DirectoryInfo root, string rootPath, string realRootPath, StringComparison pathComparison, Action<string, DocumentLoadIssueKind, string> skipped) =>
        new(root, parent: null, relativePath: string.Empty, realRootPath, new Walk(rootPath, realRootPath, pathComparison, skipped));

    /// <inheritdoc/>
    public override IEnumerable<FileSystemInfoBase> EnumerateFileSystemInfos()
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = _directory.EnumerateFileSystemInfos();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // As the matcher's own wrapper does: a directory that cannot be listed holds no files for it.
            yield break;
        }

        foreach (FileSystemInfo entry in entries)
        {
            if (entry is FileInfo file)
            {
                yield return new FileInfoWrapper(file);
            }
            else if (entry is DirectoryInfo directory && Enter(directory) is { } child)
            {
                yield return child;
            }
        }
    }

    /// <inheritdoc/>
    public override DirectoryInfoBase? GetDirectory(string path)
    {
        // Patterns with ".." are refused by the options, so only names of children reach here.
        foreach (FileSystemInfoBase entry in EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfoBase directory && string.Equals(directory.Name, path, _walk.PathComparison))
            {
                return directory;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override FileInfoBase? GetFile(string path) => new FileInfoWrapper(new FileInfo(Path.Combine(FullName, path)));

    private GuardedDirectoryInfo? Enter(DirectoryInfo directory)
    {
        string relativePath = _relativePath.Length == 0 ? directory.Name : _relativePath + "/" + directory.Name;
        if (directory.LinkTarget is null)
        {
            return new GuardedDirectoryInfo(directory, this, relativePath, Path.Combine(_realPath, directory.Name), _walk);
        }

        string? target;
        try
        {
            target = directory.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        }
        catch (IOException)
        {
            target = null;
        }

        if (target is null || !Directory.Exists(target))
        {
            // A dangling link holds nothing to load; the matcher's own wrapper would not list anything under it either.
            return null;
        }

        target = Path.TrimEndingDirectorySeparator(target);
        if (!_walk.IsInsideRoot(target))
        {
            _walk.Skip(relativePath, DocumentLoadIssueKind.OutsideRoot,
                "The directory is a symbolic link that resolves outside the root; nothing under it was read.");
            return null;
        }

        for (GuardedDirectoryInfo? ancestor = this; ancestor is not null; ancestor = ancestor._parent)
        {
            if (string.Equals(ancestor._realPath, target, _walk.PathComparison))
            {
                _walk.Skip(relativePath, DocumentLoadIssueKind.SymbolicLinkLoop, string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"The directory is a symbolic link back to '{(ancestor._relativePath.Length == 0 ? "." : ancestor._relativePath)}', which contains it (a loop); it was not followed, so the files under it are loaded once, from there."));
                return null;
            }
        }

        return new GuardedDirectoryInfo(directory, this, relativePath, target, _walk);
    }

    /// <summary>What every directory of one walk shares: the root, how paths compare, and the links already reported.</summary>
    private sealed class Walk(string rootPath, string realRootPath, StringComparison pathComparison, Action<string, DocumentLoadIssueKind, string> skipped)
    {
        private readonly HashSet<string> _reported = new(pathComparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);

        public StringComparison PathComparison { get; } = pathComparison;

        public bool IsInsideRoot(string path) => IsSameOrUnder(path, rootPath) || IsSameOrUnder(path, realRootPath);

        /// <summary>Reports a link once, however often the matcher lists its parent.</summary>
        public void Skip(string relativePath, DocumentLoadIssueKind kind, string message)
        {
            if (_reported.Add(relativePath))
            {
                skipped(relativePath, kind, message);
            }
        }

        private bool IsSameOrUnder(string path, string root) =>
            string.Equals(path, root, PathComparison)
            || (path.Length > root.Length + 1 && path.StartsWith(root, PathComparison) && path[root.Length] == Path.DirectorySeparatorChar);
    }
}
