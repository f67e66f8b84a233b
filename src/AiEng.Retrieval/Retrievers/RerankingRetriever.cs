using System.Diagnostics;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// A retrieval stage followed by a reranking stage: retrieves a deeper candidate list with one <see cref="IRetriever"/>
/// and keeps the best of them by an <see cref="IReranker"/> (for example <see cref="LlmReranker"/> or <see cref="MmrReranker"/>).
/// </summary>
/// <remarks>
/// Each call is a span <c>aieng.retrieval.two_stage</c> on the activity source <c>AiEng</c>, around the spans of the
/// candidate retrieval and of the reranker (docs/observability.md).
/// </remarks>
public sealed class RerankingRetriever : IRetriever
{
    /// <summary>The default number of candidates: 30.</summary>
    public const int DefaultCandidateCount = 30;

    private readonly IRetriever _retriever;
    private readonly IReranker _reranker;
    private readonly int _candidateCount;

    /// <summary>Initializes a new instance of the <see cref="RerankingRetriever"/> class.</summary>
    /// <param name="retriever">Finds the candidates.</param>
    /// <param name="reranker">Reorders them.</param>
    /// <param name="candidateCount">How many candidates to retrieve (at least the number asked for); default <see cref="DefaultCandidateCount"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="retriever"/> or <paramref name="reranker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="candidateCount"/> is less than 1.</exception>
    public RerankingRetriever(IRetriever retriever, IReranker reranker, int candidateCount = DefaultCandidateCount)
    {
        _retriever = Throw.IfNull(retriever);
        _reranker = Throw.IfNull(reranker);
        _candidateCount = Throw.IfLessThan(candidateCount, 1);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public async Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        (string query, int top) = (request.Query, request.Top);
        int depth = Math.Max(top, _candidateCount);
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.RetrievalTwoStage);
        if (activity is not null)
        {
            activity.SetTag(AiEngTelemetry.OperationName, AiEngTelemetry.RetrievalOperation);
            activity.SetTag(AiEngTelemetry.CandidateDepth, depth);
            activity.SetTag(AiEngTelemetry.RetrievalTopK, top);
            activity.SetTag(AiEngTelemetry.RetrievalFiltered, ChunkFilters.IsFiltered(request));
        }

        try
        {
            var candidates = await _retriever.RetrieveAsync(request.ForQuery(query, depth), cancellationToken).ConfigureAwait(false);
            activity?.SetTag(AiEngTelemetry.RerankCandidates, candidates.Count);
            var results = candidates.Count == 0 ? candidates : await _reranker.RerankAsync(query, candidates, top, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(AiEngTelemetry.RetrievalResults, results.Count);
            return results;
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
    }
}
