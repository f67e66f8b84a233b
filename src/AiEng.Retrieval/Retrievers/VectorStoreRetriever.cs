using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Dense retrieval over any Microsoft.Extensions.VectorData collection of <see cref="ChunkRecord"/>s: embeds the query with
/// an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> and asks the collection for its nearest records.
/// </summary>
/// <remarks>
/// The query must be embedded by the model that embedded the records. Chunks come back in the collection's order with the
/// collection's score, which for <see cref="ChunkRecord"/>'s cosine similarity is higher for more similar chunks; a
/// collection defined with a distance function (lower is better) should not be fused by score
/// (<see cref="FusionMethod.NormalizedScore"/>), only by rank. Thread-safe when the collection and generator are.
/// </remarks>
public sealed class VectorStoreRetriever : IRetriever
{
    private readonly VectorStoreCollection<Guid, ChunkRecord> _collection;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddingGenerator;
    private readonly StoreSearch _search;

    /// <summary>Initializes a new instance of the <see cref="VectorStoreRetriever"/> class.</summary>
    /// <param name="collection">The collection to search.</param>
    /// <param name="embeddingGenerator">Embeds queries; the model that embedded the records.</param>
    /// <param name="options">The options, read here (later changes have no effect), or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> or <paramref name="embeddingGenerator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A filterable field in <paramref name="options"/> is empty or contains <c>=</c>.</exception>
    public VectorStoreRetriever(
        VectorStoreCollection<Guid, ChunkRecord> collection,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        VectorStoreRetrieverOptions? options = null)
    {
        _collection = Throw.IfNull(collection);
        _embeddingGenerator = Throw.IfNull(embeddingGenerator);
        _search = new StoreSearch(collection.Name, nameof(VectorStoreRetriever), AiEngTelemetry.RetrievalDense, options);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The request's <see cref="RetrievalRequest.Filter"/> and <see cref="RetrievalRequest.MetadataFilter"/> and
    /// <see cref="VectorStoreRetrieverOptions.Filter"/> all apply, joined by <c>&amp;&amp;</c> into the collection's search
    /// filter. A metadata filter that accepts no value returns no chunk without searching.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The metadata filter names a key not in <see cref="VectorStoreRetrieverOptions.FilterableFields"/>.</exception>
    /// <exception cref="VectorStoreException">The collection failed to search, for example on a filter it cannot translate.</exception>
    public Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        return _search.RunAsync(
            request,
            SearchAsync,
            activity => activity.SetTag(AiEngTelemetry.RequestModel, _embeddingGenerator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId),
            cancellationToken);

        async IAsyncEnumerable<VectorSearchResult<ChunkRecord>> SearchAsync(Expression<Func<ChunkRecord, bool>>? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var vector = await QueryEmbeddings.EmbedAsync(_embeddingGenerator, request.Query, cancellationToken).ConfigureAwait(false);
            var searchOptions = new VectorSearchOptions<ChunkRecord> { Filter = filter, IncludeVectors = _search.IncludeEmbeddings };
            await foreach (var result in _collection.SearchAsync(vector, request.Top, searchOptions, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
    }
}
