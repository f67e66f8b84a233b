using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>Convenience overloads of <see cref="IReranker"/>.</summary>
public static class RerankerExtensions
{
    /// <summary>Reranks <paramref name="candidates"/> for <paramref name="query"/> and keeps at most <paramref name="top"/>.</summary>
    /// <param name="reranker">The reranker.</param>
    /// <param name="query">The query text.</param>
    /// <param name="candidates">The retrieved chunks, in the retriever's order.</param>
    /// <param name="top">The largest number of chunks to keep; at least 1.</param>
    /// <param name="cancellationToken">A token that cancels the reranking.</param>
    /// <returns>The chunks, most relevant first, with the reranker's scores.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reranker"/>, <paramref name="query"/> or <paramref name="candidates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    public static Task<IReadOnlyList<RetrievedChunk>> RerankAsync(
        this IReranker reranker, string query, IReadOnlyList<RetrievedChunk> candidates, int top, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(reranker);
        Throw.IfLessThan(top, 1);
        return reranker.RerankAsync(new RerankRequest(query, candidates) { Top = top }, cancellationToken);
    }
}
