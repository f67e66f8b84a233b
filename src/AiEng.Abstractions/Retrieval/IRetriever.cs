namespace AiEng.Retrieval;

/// <summary>Finds the chunks most relevant to a query.</summary>
public interface IRetriever
{
    /// <summary>Retrieves at most <paramref name="top"/> chunks for <paramref name="query"/>, most relevant first.</summary>
    /// <param name="query">The query text.</param>
    /// <param name="top">The maximum number of chunks to return.</param>
    /// <param name="cancellationToken">A token that cancels the search.</param>
    /// <returns>The chunks, most relevant first.</returns>
    Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(string query, int top, CancellationToken cancellationToken = default);
}
