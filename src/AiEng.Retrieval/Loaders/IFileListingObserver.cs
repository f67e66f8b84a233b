namespace AiEng.Retrieval;

/// <summary>
/// Told by <see cref="DirectoryDocumentLoader"/> how many files it listed and when it starts each, so that an ingestion run
/// knows its total before reading the files. The loader looks for it on the issue sink it is given, so its public signature
/// stays as it is.
/// </summary>
internal interface IFileListingObserver
{
    /// <summary>The loader listed the files it will go through.</summary>
    /// <param name="count">The number of matching files.</param>
    void FilesListed(int count);

    /// <summary>The loader starts on the next file; its documents (or the issue that skips it) follow.</summary>
    void FileStarted();
}
