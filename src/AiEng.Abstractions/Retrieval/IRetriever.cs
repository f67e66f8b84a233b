namespace AiEng.Retrieval;

/// <summary>Finds the chunks most relevant to a query.</summary>
/// <remarks>Convenience overloads (a query and a number of chunks) are in <see cref="RetrieverExtensions"/>.</remarks>
public interface IRetriever
{
    /// <summary>Retrieves at most <see cref="RetrievalRequest.Top"/> chunks that satisfy the request's filter, most relevant first.</summary>
    /// <param name="request">The query, the number of chunks and the filter.</param>
    /// <param name="cancellationToken">A token that cancels the search.</param>
    /// <returns>The chunks, most relevant first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default);
}
