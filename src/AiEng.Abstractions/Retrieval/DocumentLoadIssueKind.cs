namespace AiEng.Retrieval;

/// <summary>What went wrong with a source or document that a loader worked around.</summary>
public enum DocumentLoadIssueKind
{
    /// <summary>The file could not be opened or read (permissions, I/O error); it was skipped.</summary>
    Unreadable,

    /// <summary>The file holds binary data where text was expected; it was skipped.</summary>
    Binary,

    /// <summary>No loader handles the file's extension; it was skipped.</summary>
    Unsupported,

    /// <summary>The file resolves to a location outside the loaded root (for example through a symbolic link); it was skipped.</summary>
    OutsideRoot,

    /// <summary>The document has no text; it was skipped.</summary>
    Empty,

    /// <summary>The text was not valid UTF-8; invalid bytes were replaced with U+FFFD and the document was loaded.</summary>
    InvalidUtf8,

    /// <summary>The file is malformed (for example a JSON line that does not parse); it was skipped from that point on.</summary>
    Malformed,

    /// <summary>The file is larger than the loader's limit (<c>DirectoryDocumentLoaderOptions.MaxFileBytes</c>); it was skipped without being read.</summary>
    TooLarge,

    /// <summary>
    /// A symbolic link leads back to a directory that contains it (for example <c>loop -&gt; .</c>); it was not followed, so
    /// the files under it are loaded once, from the directory it points to.
    /// </summary>
    SymbolicLinkLoop,
}
