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

    /// <summary>
    /// Gets or sets how many documents the source will yield, when the caller knows (a counted source: a list, a table with a
    /// row count, a JSON-lines file whose lines were counted). It gives progress reports a <see cref="IngestionProgress.DocumentsTotal"/>
    /// and so an <see cref="IngestionProgress.EstimatedRemaining"/>; a source that yields more raises the total to what was
    /// seen. A directory's total is known from its listing without it. Default: <see langword="null"/> (unknown).
    /// </summary>
    public int? ExpectedDocumentCount { get; set; }

    /// <summary>Checks the options and returns a copy, so that later changes by the caller have no effect.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ExpectedDocumentCount"/> is negative.</exception>
    internal IngestionOptions ValidateAndClone() =>
        ExpectedDocumentCount is < 0
            ? throw new ArgumentOutOfRangeException(
                nameof(ExpectedDocumentCount), ExpectedDocumentCount, $"{nameof(IngestionOptions)}.{nameof(ExpectedDocumentCount)} must be 0 or more, or null when the count is unknown.")
            : new() { DeleteMissing = DeleteMissing, ReindexUnchanged = ReindexUnchanged, ExpectedDocumentCount = ExpectedDocumentCount };
}
