namespace AiEng.Retrieval;

/// <summary>Options of <see cref="KeywordRetriever"/>.</summary>
/// <remarks>The retriever copies the options; changing them afterwards has no effect on it.</remarks>
public sealed class KeywordRetrieverOptions
{
    /// <summary>The default <see cref="MaxRecords"/>: 1,000,000.</summary>
    public const int DefaultMaxRecords = 1_000_000;

    /// <summary>Gets or sets the BM25 parameters. Default: <see langword="null"/>, Anserini's defaults (k1 0.9, b 0.4).</summary>
    public Bm25Options? Bm25 { get; set; }

    /// <summary>
    /// Gets or sets whether a record's <see cref="ChunkRecord.Title"/> is indexed with its text (as one field, as BEIR's BM25
    /// baselines do). Default: <see langword="true"/>.
    /// </summary>
    public bool IndexTitle { get; set; } = true;

    /// <summary>
    /// Gets or sets the most records read from a collection (<see cref="KeywordRetriever.LoadAsync"/>). Loading fails rather
    /// than silently index part of a larger collection. Default: <see cref="DefaultMaxRecords"/>. At least 1.
    /// </summary>
    public int MaxRecords { get; set; } = DefaultMaxRecords;

    /// <summary>
    /// Gets or sets the metadata keys a request may filter on (<see cref="RetrievalRequest.MetadataFilter"/>); a filter on any
    /// other key fails with an <see cref="ArgumentException"/> naming it. Default: none. Declare the keys the ingestor tags
    /// (<see cref="DocumentIngestorOptions.FilterableFields"/>).
    /// </summary>
    public IList<string> FilterableFields { get; set; } = [];

    /// <summary>Checks the values and returns a copy.</summary>
    internal KeywordRetrieverOptions Validate()
    {
        if (MaxRecords < 1)
        {
            throw new ArgumentException($"{nameof(KeywordRetrieverOptions)}.{nameof(MaxRecords)} is {MaxRecords} but must be at least 1, for example {DefaultMaxRecords}.", "options");
        }

        var bm25 = Bm25 is null ? null : new Bm25Options { K1 = Bm25.K1, B = Bm25.B, LuceneLengthEncoding = Bm25.LuceneLengthEncoding };
        return new KeywordRetrieverOptions
        {
            Bm25 = bm25,
            IndexTitle = IndexTitle,
            MaxRecords = MaxRecords,
            FilterableFields = ChunkFilters.CheckFields(FilterableFields, $"{nameof(KeywordRetrieverOptions)}.{nameof(FilterableFields)}"),
        };
    }
}
