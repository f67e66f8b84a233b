namespace AiEng.Retrieval;

/// <summary>What an <see cref="IngestionProgress"/> report is about.</summary>
public enum IngestionEvent
{
    /// <summary>A batch of chunks was embedded.</summary>
    ChunksEmbedded,

    /// <summary>A new document was committed to the collection.</summary>
    DocumentAdded,

    /// <summary>A changed document's chunks were replaced.</summary>
    DocumentUpdated,

    /// <summary>A document's content hash matched the stored one; it was skipped without embedding.</summary>
    DocumentUnchanged,

    /// <summary>A file or document was skipped (see <see cref="IngestionProgress.Issue"/>).</summary>
    DocumentSkipped,

    /// <summary>A problem was worked around without skipping anything (for example invalid UTF-8 was replaced; see <see cref="IngestionProgress.Issue"/>).</summary>
    IssueReported,

    /// <summary>A document no longer in the source was deleted (sync with <see cref="IngestionOptions.DeleteMissing"/>).</summary>
    DocumentDeleted,
}
