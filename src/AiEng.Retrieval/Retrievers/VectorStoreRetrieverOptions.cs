using System.Linq.Expressions;

namespace AiEng.Retrieval;

/// <summary>Options of <see cref="VectorStoreRetriever"/>.</summary>
/// <remarks>The retriever reads the options when it is created; changing them afterwards has no effect on it.</remarks>
public sealed class VectorStoreRetrieverOptions
{
    /// <summary>
    /// Gets or sets a filter the store applies before ranking, for example <c>r =&gt; r.DocumentId == "manual"</c>; only the
    /// properties marked <c>IsIndexed</c> in <see cref="ChunkRecord"/> can be filtered on by most stores. Default: none.
    /// </summary>
    public Expression<Func<ChunkRecord, bool>>? Filter { get; set; }

    /// <summary>
    /// Gets or sets whether the records come back with their embeddings (for example for <see cref="MmrReranker"/>, which
    /// then does not embed the candidates again). Default: <see langword="false"/>, which saves transfer.
    /// </summary>
    public bool IncludeEmbeddings { get; set; }

    /// <summary>
    /// Gets or sets the metadata keys a request may filter on (<see cref="RetrievalRequest.MetadataFilter"/>); a filter on any
    /// other key fails with an <see cref="ArgumentException"/> naming it. Default: none. Declare the keys the ingestor tags
    /// (<see cref="DocumentIngestorOptions.FilterableFields"/>).
    /// </summary>
    public IList<string> FilterableFields { get; set; } = [];
}
