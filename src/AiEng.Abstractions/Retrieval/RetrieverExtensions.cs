using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>Convenience overloads of <see cref="IRetriever"/>.</summary>
public static class RetrieverExtensions
{
    /// <summary>Retrieves at most <paramref name="top"/> chunks for <paramref name="query"/>, most relevant first, with no filter.</summary>
    /// <param name="retriever">The retriever.</param>
    /// <param name="query">The query text.</param>
    /// <param name="top">The largest number of chunks to return; at least 1.</param>
    /// <param name="cancellationToken">A token that cancels the search.</param>
    /// <returns>The chunks, most relevant first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="retriever"/> or <paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    public static Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(this IRetriever retriever, string query, int top = RetrievalRequest.DefaultTop, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(retriever);
        Throw.IfLessThan(top, 1);
        return retriever.RetrieveAsync(new RetrievalRequest(query) { Top = top }, cancellationToken);
    }
}
