using System.Diagnostics;
using AiEng.Shared;
using System.Linq.Expressions;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// What the retrievers that ask a collection to search (<see cref="VectorStoreRetriever"/>, <see cref="StoreKeywordRetriever"/>,
/// <see cref="StoreHybridRetriever"/>) share: their options, the filter checks, the telemetry span and the result loop.
/// </summary>
internal sealed class StoreSearch
{
    private readonly string _collection;
    private readonly string _retriever;
    private readonly string _span;
    private readonly Expression<Func<ChunkRecord, bool>>? _filter;
    private readonly string[] _filterableFields;

    /// <summary>Initializes a new instance of the <see cref="StoreSearch"/> class, reading <paramref name="options"/> once.</summary>
    /// <exception cref="ArgumentException">A filterable field is empty or contains <c>=</c>.</exception>
    public StoreSearch(string collection, string retriever, string span, VectorStoreRetrieverOptions? options)
    {
        (_collection, _retriever, _span) = (collection, retriever, span);
        (_filter, IncludeEmbeddings) = options is null ? (null, false) : (options.Filter, options.IncludeEmbeddings);
        _filterableFields = ChunkFilters.CheckFields(
            options?.FilterableFields, $"{nameof(VectorStoreRetrieverOptions)}.{nameof(VectorStoreRetrieverOptions.FilterableFields)}");
    }

    /// <summary>Gets a value indicating whether records are returned with their embeddings.</summary>
    public bool IncludeEmbeddings { get; }

    /// <summary>
    /// Checks <paramref name="request"/>'s metadata filter, opens the span, and collects what <paramref name="search"/> returns
    /// for the combined filter (nothing, without searching, when the metadata filter accepts no value).
    /// </summary>
    /// <exception cref="ArgumentException">The metadata filter names a key that is not filterable.</exception>
    public async Task<IReadOnlyList<RetrievedChunk>> RunAsync(
        RetrievalRequest request,
        Func<Expression<Func<ChunkRecord, bool>>?, CancellationToken, IAsyncEnumerable<VectorSearchResult<ChunkRecord>>> search,
        Action<Activity>? tag,
        CancellationToken cancellationToken)
    {
        ChunkFilters.CheckDeclared(request.MetadataFilter, _filterableFields, _retriever);
        using Activity? activity = AiEngTelemetry.Start(_span);
        if (activity is not null)
        {
            activity.SetTag(AiEngTelemetry.OperationName, AiEngTelemetry.RetrievalOperation);
            activity.SetTag(AiEngTelemetry.DataSourceId, _collection);
            tag?.Invoke(activity);
            activity.SetTag(AiEngTelemetry.RetrievalTopK, request.Top);
            activity.SetTag(AiEngTelemetry.RetrievalFiltered, _filter is not null || ChunkFilters.IsFiltered(request));
        }

        try
        {
            var chunks = new List<RetrievedChunk>(Math.Min(request.Top, 1024));
            if (request.MetadataFilter is not { MatchesNothing: true })
            {
                await foreach (var result in search(ChunkFilters.Combine(_filter, request), cancellationToken).ConfigureAwait(false))
                {
                    chunks.Add(new RetrievedChunk(result.Record, result.Score ?? 0));
                }
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
