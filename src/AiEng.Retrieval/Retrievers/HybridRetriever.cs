using System.Diagnostics;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// Hybrid retrieval: asks several retrievers (typically <see cref="KeywordRetriever"/> and <see cref="VectorStoreRetriever"/>)
/// concurrently and fuses their rankings, by reciprocal-rank fusion (k = 60) by default or by normalised weighted scores.
/// </summary>
/// <remarks>
/// Keyword and dense retrieval fail on different queries (exact names and codes versus paraphrases), so their fusion
/// usually beats both. Chunks are identified by <see cref="ChunkRecord.Key"/>; the returned scores are the fused scores.
/// </remarks>
public sealed class HybridRetriever : IRetriever
{
    private readonly IRetriever[] _retrievers;
    private readonly HybridRetrieverOptions _options;

    /// <summary>Initializes a new instance of the <see cref="HybridRetriever"/> class.</summary>
    /// <param name="retrievers">The retrievers to fuse; at least one.</param>
    /// <param name="options">The options (copied), or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="retrievers"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="retrievers"/> is empty, or an option is out of range (the message names it).</exception>
    public HybridRetriever(IEnumerable<IRetriever> retrievers, HybridRetrieverOptions? options = null)
    {
        _retrievers = Throw.IfNull(retrievers).ToArray();
        if (_retrievers.Length == 0)
        {
            throw new ArgumentException("Give at least one retriever to fuse.", nameof(retrievers));
        }

        foreach (var retriever in _retrievers)
        {
            Throw.IfNull(retriever, nameof(retrievers));
        }

        _options = (options ?? new HybridRetrieverOptions()).Validate(_retrievers.Length);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public async Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        (string query, int top) = (request.Query, request.Top);
        int depth = Math.Max(top, _options.CandidateDepth);
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.RetrievalFusion);
        if (activity is not null)
        {
            activity.SetTag(AiEngTelemetry.OperationName, AiEngTelemetry.RetrievalOperation);
            activity.SetTag(AiEngTelemetry.FusionMethod, _options.Fusion == FusionMethod.ReciprocalRank ? "rrf" : "normalized_score");
            activity.SetTag(AiEngTelemetry.FusionSources, _retrievers.Length);
            activity.SetTag(AiEngTelemetry.CandidateDepth, depth);
            activity.SetTag(AiEngTelemetry.RetrievalTopK, top);
            activity.SetTag(AiEngTelemetry.RetrievalFiltered, ChunkFilters.IsFiltered(request));
        }

        try
        {
            var lists = await Task.WhenAll(_retrievers.Select(retriever => retriever.RetrieveAsync(request.ForQuery(query, depth), cancellationToken))).ConfigureAwait(false);
            var fused = ChunkFusion.Fuse(lists, _options.Fusion, _options.RrfK, _options.Weights?.ToArray(), top);
            activity?.SetTag(AiEngTelemetry.RetrievalResults, fused.Count);
            return fused;
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
    }
}
