using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>A reranker that keeps the retriever's order and scores and only cuts the list to the number asked for.</summary>
/// <remarks>Use it where a reranker is required but none is wanted, or as the baseline a real reranker is measured against.</remarks>
public sealed class PassThroughReranker : IReranker
{
    /// <summary>Gets the shared instance.</summary>
    public static PassThroughReranker Instance { get; } = new();

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public Task<IReadOnlyList<RetrievedChunk>> RerankAsync(RerankRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        (string query, IReadOnlyList<RetrievedChunk> candidates, int top) = (request.Query, request.Candidates, request.Top);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<RetrievedChunk> kept = candidates.Count <= top ? candidates : candidates.Take(top).ToArray();
        return Task.FromResult(kept);
    }
}
