namespace AiEng.Retrieval;

/// <summary>Reorders retrieved chunks by their relevance to a query, usually with a slower but better model than the retriever's.</summary>
public interface IReranker
{
    /// <summary>Reranks <paramref name="candidates"/> for <paramref name="query"/> and keeps at most <paramref name="top"/>.</summary>
    /// <param name="query">The query text.</param>
    /// <param name="candidates">The retrieved chunks, in the retriever's order.</param>
    /// <param name="top">The maximum number of chunks to return.</param>
    /// <param name="cancellationToken">A token that cancels the reranking.</param>
    /// <returns>The chunks, most relevant first, with the reranker's scores.</returns>
    Task<IReadOnlyList<RetrievedChunk>> RerankAsync(string query, IReadOnlyList<RetrievedChunk> candidates, int top, CancellationToken cancellationToken = default);
}
