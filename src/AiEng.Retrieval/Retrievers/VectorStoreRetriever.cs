using System.Diagnostics;
using System.Linq.Expressions;
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
    private readonly Expression<Func<ChunkRecord, bool>>? _filter;
    private readonly bool _includeEmbeddings;
    private readonly string[] _filterableFields;

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
        (_filter, _includeEmbeddings) = options is null ? (null, false) : (options.Filter, options.IncludeEmbeddings);
        _filterableFields = ChunkFilters.CheckFields(
            options?.FilterableFields, $"{nameof(VectorStoreRetrieverOptions)}.{nameof(VectorStoreRetrieverOptions.FilterableFields)}");
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
    public async Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        ChunkFilters.CheckDeclared(request.MetadataFilter, _filterableFields, nameof(VectorStoreRetriever));
        (string query, int top) = (request.Query, request.Top);
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.RetrievalDense);
        if (activity is not null)
        {
            activity.SetTag(AiEngTelemetry.OperationName, AiEngTelemetry.RetrievalOperation);
            activity.SetTag(AiEngTelemetry.DataSourceId, _collection.Name);
            activity.SetTag(AiEngTelemetry.RequestModel, _embeddingGenerator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
            activity.SetTag(AiEngTelemetry.RetrievalTopK, top);
            activity.SetTag(AiEngTelemetry.RetrievalFiltered, _filter is not null || ChunkFilters.IsFiltered(request));
        }

        try
        {
            if (request.MetadataFilter is { MatchesNothing: true })
            {
                activity?.SetTag(AiEngTelemetry.RetrievalResults, 0);
                return [];
            }

            var vector = await _embeddingGenerator.GenerateVectorAsync(query, new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Query), cancellationToken).ConfigureAwait(false);
            var searchOptions = new VectorSearchOptions<ChunkRecord> { Filter = ChunkFilters.Combine(_filter, request), IncludeVectors = _includeEmbeddings };
            var chunks = new List<RetrievedChunk>(top);
            await foreach (var result in _collection.SearchAsync(vector, top, searchOptions, cancellationToken).ConfigureAwait(false))
            {
                chunks.Add(new RetrievedChunk(result.Record, result.Score ?? 0));
            }

            activity?.SetTag(AiEngTelemetry.RetrievalResults, chunks.Count);
            return chunks;
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
    }
}
