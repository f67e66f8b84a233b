namespace AiEng.Retrieval;

/// <summary>A progress report of a <see cref="DocumentIngestor"/> run: what just happened and the running totals.</summary>
public sealed class IngestionProgress
{
    /// <summary>Initializes a new instance of the <see cref="IngestionProgress"/> class.</summary>
    /// <param name="event">What the report is about.</param>
    /// <param name="documentId">The document concerned, when there is one.</param>
    public IngestionProgress(IngestionEvent @event, string? documentId)
    {
        Event = @event;
        DocumentId = documentId;
    }

    /// <summary>Gets what the report is about.</summary>
    public IngestionEvent Event { get; }

    /// <summary>Gets the id of the document concerned, or <see langword="null"/> (for example for a batch of chunks, or a file skipped before it was read).</summary>
    public string? DocumentId { get; }

    /// <summary>Gets the loader's issue for <see cref="IngestionEvent.DocumentSkipped"/> and <see cref="IngestionEvent.IssueReported"/>; otherwise <see langword="null"/>.</summary>
    public DocumentLoadIssue? Issue { get; init; }

    /// <summary>Gets the number of documents finished so far: added, updated, unchanged, skipped and deleted.</summary>
    public int DocumentsCompleted { get; init; }

    /// <summary>Gets the number of chunks embedded so far.</summary>
    public int ChunksEmbedded { get; init; }

    /// <summary>Gets the number of chunks written to the collection so far (committed documents only).</summary>
    public int ChunksWritten { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Event} {DocumentId} ({DocumentsCompleted} documents, {ChunksEmbedded} chunks embedded, {ChunksWritten} written)";
}
