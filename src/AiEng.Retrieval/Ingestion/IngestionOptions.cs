namespace AiEng.Retrieval;

/// <summary>Options of one ingestion run (<see cref="DocumentIngestor.IngestAsync(IAsyncEnumerable{Document}, IngestionOptions?, IProgress{IngestionProgress}?, CancellationToken)"/>).</summary>
public sealed class IngestionOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the run is a sync: after every document of the source is ingested, the
    /// documents in the collection that the source no longer has are deleted. Documents whose source was reported
    /// <see cref="DocumentLoadIssueKind.Unreadable"/> or <see cref="DocumentLoadIssueKind.Malformed"/> are kept, since
    /// their absence says nothing about their content. Nothing is deleted when the run fails or is cancelled.
    /// Default: <see langword="false"/>.
    /// </summary>
    public bool DeleteMissing { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether documents whose content hash matches the stored one are embedded and
    /// written again anyway (for example after changing the chunker). Default: <see langword="false"/>.
    /// </summary>
    public bool ReindexUnchanged { get; set; }

    /// <summary>Returns a copy, so that later changes by the caller have no effect.</summary>
    internal IngestionOptions Clone() => new() { DeleteMissing = DeleteMissing, ReindexUnchanged = ReindexUnchanged };
}
