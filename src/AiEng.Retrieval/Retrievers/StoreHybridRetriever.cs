using System.Runtime.CompilerServices;
using System.Linq.Expressions;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Hybrid retrieval run by the store: embeds the query and asks a collection that implements Microsoft.Extensions.VectorData's
/// <see cref="IKeywordHybridSearchable{TRecord}"/> to rank by vector and keywords at once, fused by the store.
/// </summary>
/// <remarks>
/// The keywords are the query's words (runs of letters and digits), unstemmed, for the store's own full-text engine to
/// analyse. Scores are the store's. <c>AddRetrieval</c> uses it for <see cref="RetrieverKind.Hybrid"/> over a collection
/// that offers hybrid search, even when it also offers <see cref="IKeywordSearchable{TRecord}"/> (the PostgreSQL store fuses
/// both rankings in one SQL statement).
/// </remarks>
public sealed class StoreHybridRetriever : IRetriever
{
    private readonly IKeywordHybridSearchable<ChunkRecord> _searchable;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddingGenerator;
    private readonly StoreSearch _search;

    /// <summary>Initializes a new instance of the <see cref="StoreHybridRetriever"/> class.</summary>
    /// <param name="collection">The collection; it must offer <see cref="IKeywordHybridSearchable{TRecord}"/> of <see cref="ChunkRecord"/>.</param>
    /// <param name="embeddingGenerator">Embeds queries; the model that embedded the records.</param>
    /// <param name="options">The filter, filterable keys and whether to return embeddings, read here; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> or <paramref name="embeddingGenerator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The collection offers no hybrid search, or a filterable field is empty or contains <c>=</c>.</exception>
    public StoreHybridRetriever(
        VectorStoreCollection<Guid, ChunkRecord> collection,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        VectorStoreRetrieverOptions? options = null)
    {
        Throw.IfNull(collection);
        _embeddingGenerator = Throw.IfNull(embeddingGenerator);
        _searchable = Find(collection) ?? throw new ArgumentException(
            $"The collection '{collection.Name}' ({collection.GetType().Name}) offers no hybrid search (IKeywordHybridSearchable<{nameof(ChunkRecord)}>); fuse a keyword and a dense retriever with {nameof(HybridRetriever)} instead.",
            nameof(collection));
        _search = new StoreSearch(collection.Name, nameof(StoreHybridRetriever), AiEngTelemetry.RetrievalFusion, options);
    }

    /// <summary>Returns the hybrid search a collection offers, or <see langword="null"/> when it offers none.</summary>
    /// <param name="collection">The collection.</param>
    /// <returns>Its <see cref="IKeywordHybridSearchable{TRecord}"/> (from <c>GetService</c>, as Microsoft.Extensions.VectorData collections offer their capabilities), or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> is <see langword="null"/>.</exception>
    public static IKeywordHybridSearchable<ChunkRecord>? Find(VectorStoreCollection<Guid, ChunkRecord> collection) =>
        Throw.IfNull(collection).GetService(typeof(IKeywordHybridSearchable<ChunkRecord>)) as IKeywordHybridSearchable<ChunkRecord>;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The metadata filter names a key not in <see cref="VectorStoreRetrieverOptions.FilterableFields"/>.</exception>
    /// <exception cref="VectorStoreException">The collection failed to search.</exception>
    public Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        return _search.RunAsync(request, SearchAsync, tag: null, cancellationToken);

        async IAsyncEnumerable<VectorSearchResult<ChunkRecord>> SearchAsync(Expression<Func<ChunkRecord, bool>>? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var vector = await QueryEmbeddings.EmbedAsync(_embeddingGenerator, request.Query, cancellationToken).ConfigureAwait(false);
            var options = new HybridSearchOptions<ChunkRecord> { Filter = filter, IncludeVectors = _search.IncludeEmbeddings };
            await foreach (var result in _searchable.HybridSearchAsync(vector, Keywords(request.Query), request.Top, options, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
    }

    /// <summary>The distinct words of <paramref name="query"/> in order: runs of letters and digits.</summary>
    internal static List<string> Keywords(string query)
    {
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i <= query.Length; i++)
        {
            bool inWord = i < query.Length && char.IsLetterOrDigit(query[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                string word = query[start..i];
                if (!words.Contains(word, StringComparer.OrdinalIgnoreCase))
                {
                    words.Add(word);
                }

                start = -1;
            }
        }

        return words;
    }
}
