namespace AiEng.Retrieval;

/// <summary>Options of a <see cref="DocumentIngestor"/>: batch sizes, the in-memory bound per document and where large documents are staged.</summary>
public sealed class DocumentIngestorOptions
{
    /// <summary>
    /// Gets or sets how many chunks are embedded in one call to the embedding generator. Batches span documents, so many
    /// small documents share a call. Default: 64.
    /// </summary>
    public int EmbeddingBatchSize { get; set; } = 64;

    /// <summary>
    /// Gets or sets how many embedded chunks of one document are kept in memory until the document is committed. A document
    /// with more chunks is staged in a temporary file and committed from there, so memory stays bounded whatever the
    /// document's size. Default: 1024.
    /// </summary>
    public int MaxBufferedChunks { get; set; } = 1024;

    /// <summary>
    /// Gets or sets how many records are read in one page when looking up a document's existing chunks, and written in one
    /// <c>UpsertAsync</c> call when a staged document is written to a collection without an <see cref="IAtomicRecordWriter{TKey, TRecord}"/>.
    /// Default: 256.
    /// </summary>
    public int PageSize { get; set; } = 256;

    /// <summary>Gets or sets the directory of the staging files of large documents; <see langword="null"/> (the default) for the system temporary directory.</summary>
    public string? StagingDirectory { get; set; }

    /// <summary>
    /// Gets or sets the number of dimensions the collection stores (the value given to <see cref="ChunkRecord.CreateDefinition"/>),
    /// when known. The first embedding is checked against it before anything is written. Default: <see langword="null"/>:
    /// checked against the vectors already in the collection, if any, and otherwise left to the store.
    /// </summary>
    public int? Dimensions { get; set; }

    /// <summary>
    /// Gets or sets the metadata keys whose values are written to each chunk's <see cref="ChunkRecord.Tags"/>
    /// (<c>"key=value"</c>), so that retrieval can filter on them (<see cref="RetrievalRequest.Where"/>). Default: none.
    /// </summary>
    /// <remarks>
    /// A key is looked up in the chunk's metadata, then the document's. Declare the same keys on the retrievers
    /// (<see cref="KeywordRetrieverOptions.FilterableFields"/>, <see cref="VectorStoreRetrieverOptions.FilterableFields"/>);
    /// <c>AddRetrieval</c> does both from <c>AiEng:Retrieval:FilterableFields</c>. A document whose text is unchanged is
    /// still ingested again when a stored chunk's tags differ from what its metadata now gives (a document moved to another
    /// tenant, or a key declared since it was ingested), so tags follow the metadata without <see cref="IngestionOptions.ReindexUnchanged"/>.
    /// </remarks>
    public IList<string> FilterableFields { get; set; } = [];

    /// <summary>
    /// Gets or sets how many embedding calls (batches of <see cref="EmbeddingBatchSize"/> chunks) may be in flight at once.
    /// Default: <see langword="null"/>, for what the embedding model advises (<c>EmbeddingRequestLimits.MaxParallelRequests</c>
    /// from the generator's <c>GetService</c>: 4 for OpenAI, 1 for the local ONNX model and Ollama), else 1.
    /// </summary>
    /// <remarks>
    /// Results are applied and documents committed in document order whatever order the calls finish in. The first failure
    /// cancels the calls still in flight; documents already committed stay. Memory grows by one batch of chunk texts per call
    /// in flight; the bound per document (<see cref="MaxBufferedChunks"/>) is unchanged. A local model gains nothing from
    /// more than 1: one call keeps the CPU busy.
    /// </remarks>
    public int? MaxParallelEmbeddingRequests { get; set; }

    /// <summary>
    /// Gets or sets the clock that times runs for <see cref="IngestionProgress.Elapsed"/> and
    /// <see cref="IngestionProgress.EstimatedRemaining"/>. Default: <see langword="null"/>, for <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Checks the options and returns a copy, so that later changes by the caller have no effect.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
    /// <exception cref="ArgumentException"><see cref="StagingDirectory"/> is empty or whitespace, or a filterable field is empty or contains <c>=</c>.</exception>
    internal DocumentIngestorOptions ValidateAndClone()
    {
        CheckPositive(EmbeddingBatchSize, nameof(EmbeddingBatchSize));
        CheckPositive(MaxBufferedChunks, nameof(MaxBufferedChunks));
        CheckPositive(PageSize, nameof(PageSize));
        if (Dimensions is int dimensions)
        {
            CheckPositive(dimensions, nameof(Dimensions));
        }

        if (MaxParallelEmbeddingRequests is int parallel)
        {
            CheckPositive(parallel, nameof(MaxParallelEmbeddingRequests));
        }

        if (StagingDirectory is not null && string.IsNullOrWhiteSpace(StagingDirectory))
        {
            throw new ArgumentException("The staging directory must be a path, or null for the system temporary directory.", nameof(StagingDirectory));
        }

        return new DocumentIngestorOptions
        {
            EmbeddingBatchSize = EmbeddingBatchSize,
            MaxBufferedChunks = MaxBufferedChunks,
            PageSize = PageSize,
            StagingDirectory = StagingDirectory,
            Dimensions = Dimensions,
            TimeProvider = TimeProvider,
            MaxParallelEmbeddingRequests = MaxParallelEmbeddingRequests,
            FilterableFields = ChunkFilters.CheckFields(FilterableFields, $"{nameof(DocumentIngestorOptions)}.{nameof(FilterableFields)}"),
        };
    }

    private static void CheckPositive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
        }
    }
}
