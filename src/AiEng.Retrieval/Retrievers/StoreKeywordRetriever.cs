using AiEng.Shared;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Keyword retrieval run by the store: asks a collection that implements <see cref="IKeywordSearchable{TRecord}"/> (such as
/// the SQLite store's) for its BM25 ranking, so no keyword index is held in memory and every process sees the same index.
/// </summary>
/// <remarks>
/// Use it instead of <see cref="KeywordRetriever"/> when the collection searches keywords itself, for example inside a
/// <see cref="HybridRetriever"/> beside a <see cref="VectorStoreRetriever"/>; <c>AddRetrieval</c> does so on its own.
/// Thread-safe when the collection is.
/// </remarks>
public sealed class StoreKeywordRetriever : IRetriever
{
    private readonly IKeywordSearchable<ChunkRecord> _searchable;
    private readonly StoreSearch _search;

    /// <summary>Initializes a new instance of the <see cref="StoreKeywordRetriever"/> class.</summary>
    /// <param name="collection">The collection; it must offer <see cref="IKeywordSearchable{TRecord}"/> of <see cref="ChunkRecord"/>.</param>
    /// <param name="options">The filter, filterable keys and whether to return embeddings, read here; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The collection does not search keywords itself (use <see cref="KeywordRetriever.LoadAsync"/> over it instead), or a
    /// filterable field is empty or contains <c>=</c>.
    /// </exception>
    public StoreKeywordRetriever(VectorStoreCollection<Guid, ChunkRecord> collection, VectorStoreRetrieverOptions? options = null)
    {
        Throw.IfNull(collection);
        _searchable = Find(collection) ?? throw new ArgumentException(
            $"The collection '{collection.Name}' ({collection.GetType().Name}) does not search keywords itself (it offers no {nameof(IKeywordSearchable<ChunkRecord>)}<{nameof(ChunkRecord)}>); index it in memory with {nameof(KeywordRetriever)}.{nameof(KeywordRetriever.LoadAsync)} instead.",
            nameof(collection));
        _search = new StoreSearch(collection.Name, nameof(StoreKeywordRetriever), AiEngTelemetry.RetrievalKeyword, options);
    }

    /// <summary>Returns the keyword search a collection offers, or <see langword="null"/> when it offers none.</summary>
    /// <param name="collection">The collection.</param>
    /// <returns>Its <see cref="IKeywordSearchable{TRecord}"/> (from <c>GetService</c>, as Microsoft.Extensions.VectorData collections offer their capabilities), or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> is <see langword="null"/>.</exception>
    public static IKeywordSearchable<ChunkRecord>? Find(VectorStoreCollection<Guid, ChunkRecord> collection) =>
        Throw.IfNull(collection).GetService(typeof(IKeywordSearchable<ChunkRecord>)) as IKeywordSearchable<ChunkRecord>;

    /// <inheritdoc />
    /// <remarks>
    /// The request's filters and <see cref="VectorStoreRetrieverOptions.Filter"/> are joined by <c>&amp;&amp;</c> into the
    /// store's filter, applied before the top chunks are chosen. Scores are the store's BM25 scores.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The metadata filter names a key not in <see cref="VectorStoreRetrieverOptions.FilterableFields"/>.</exception>
    /// <exception cref="VectorStoreException">The collection failed to search.</exception>
    public Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        return _search.RunAsync(
            request,
            (filter, ct) => _searchable.KeywordSearchAsync(request.Query, request.Top, new KeywordSearchOptions<ChunkRecord> { Filter = filter, IncludeVectors = _search.IncludeEmbeddings }, ct),
            tag: null,
            cancellationToken);
    }
}
