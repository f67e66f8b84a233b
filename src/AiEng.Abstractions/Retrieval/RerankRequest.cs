using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>What an <see cref="IReranker"/> is asked to do: reorder retrieved chunks for a query and keep the best.</summary>
/// <remarks>A class rather than positional arguments, so that reranking can grow without breaking rerankers or callers.</remarks>
public sealed class RerankRequest
{
    private int _top = RetrievalRequest.DefaultTop;

    /// <summary>Initializes a new instance of the <see cref="RerankRequest"/> class.</summary>
    /// <param name="query">The query text.</param>
    /// <param name="candidates">The retrieved chunks, in the retriever's order.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public RerankRequest(string query, IReadOnlyList<RetrievedChunk> candidates)
    {
        Query = Throw.IfNull(query);
        Candidates = Throw.IfNull(candidates);
    }

    /// <summary>Gets the query text.</summary>
    public string Query { get; }

    /// <summary>Gets the retrieved chunks to rerank, in the retriever's order.</summary>
    public IReadOnlyList<RetrievedChunk> Candidates { get; }

    /// <summary>Gets or sets the largest number of chunks to keep; at least 1. Default: <see cref="RetrievalRequest.DefaultTop"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Top
    {
        get => _top;
        set => _top = Throw.IfLessThan(value, 1);
    }

    /// <summary>Gets or sets settings for a custom reranker that AiEng's own rerankers ignore.</summary>
    public AdditionalPropertiesDictionary? AdditionalProperties { get; set; }
}
