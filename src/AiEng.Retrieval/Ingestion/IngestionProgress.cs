using System.Globalization;

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
    /// <remarks>A sync's deletions come after every document of the source, so they may take this beyond <see cref="DocumentsTotal"/>.</remarks>
    public int DocumentsCompleted { get; init; }

    /// <summary>
    /// Gets the number of documents the run will go through (those of <see cref="DocumentsCompleted"/> but the deleted ones),
    /// when known; <see langword="null"/> when the source does not say how many it holds.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Known for a directory (<see cref="DocumentIngestor.IngestDirectoryAsync"/>) from its listing, each file counting as one
    /// document until it is read: exact when every file holds one document, and growing as a file of several documents (JSON
    /// lines) is read. Known for any other source when the caller gives <see cref="IngestionOptions.ExpectedDocumentCount"/>
    /// (a counted source); a source that yields more raises it to what was seen.
    /// </para>
    /// </remarks>
    public int? DocumentsTotal { get; init; }

    /// <summary>Gets the time since the run started, measured with <see cref="DocumentIngestorOptions.TimeProvider"/>.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>
    /// Gets the estimated time until every document of <see cref="DocumentsTotal"/> is done, or <see langword="null"/> when the
    /// total is unknown or no rate has been measured yet.
    /// </summary>
    /// <remarks>
    /// The remaining documents divided by a smoothed rate, not a linear extrapolation of the run so far or of its first
    /// document. The rate is measured from the first completed document on (the start-up before it is not counted); each
    /// later report at a later instant gives a sample, the documents completed since the previous sample over the time since,
    /// and the rate moves towards it by <c>1 - exp(-Δt / 30 s)</c>: an exponentially weighted moving average over time that
    /// follows a change of pace within about 30 seconds of run time, weighs a long interval more than a short one and lets one
    /// odd batch move it only part of the way. Every document counts the same, whatever its size; a sync's deletions are not
    /// counted.
    /// </remarks>
    public TimeSpan? EstimatedRemaining { get; init; }

    /// <summary>Gets the number of chunks embedded so far.</summary>
    public int ChunksEmbedded { get; init; }

    /// <summary>Gets the number of chunks written to the collection so far (committed documents only).</summary>
    public int ChunksWritten { get; init; }

    /// <inheritdoc />
    public override string ToString()
    {
        string total = DocumentsTotal is int count ? "/" + count.ToString(CultureInfo.InvariantCulture) : string.Empty;
        string remaining = EstimatedRemaining is TimeSpan estimate ? Format(estimate) : "unknown";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Event} {DocumentId} ({DocumentsCompleted}{total} documents, {ChunksEmbedded} chunks embedded, {ChunksWritten} written; elapsed {Format(Elapsed)}, remaining {remaining})");
    }

    private static string Format(TimeSpan time) => time.ToString(time.TotalDays >= 1 ? @"d\.hh\:mm\:ss" : time.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
