namespace AiEng.Retrieval;

/// <summary>Reorders retrieved chunks by their relevance to a query, usually with a slower but better model than the retriever's.</summary>
/// <remarks>A convenience overload with positional arguments is in <see cref="RerankerExtensions"/>.</remarks>
public interface IReranker
{
    /// <summary>Reranks the request's candidates for its query and keeps at most <see cref="RerankRequest.Top"/>.</summary>
    /// <param name="request">The query, the candidates and the number to keep.</param>
    /// <param name="cancellationToken">A token that cancels the reranking.</param>
    /// <returns>The chunks, most relevant first, with the reranker's scores.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    Task<IReadOnlyList<RetrievedChunk>> RerankAsync(RerankRequest request, CancellationToken cancellationToken = default);
}
