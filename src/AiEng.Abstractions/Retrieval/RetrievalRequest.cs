using System.Linq.Expressions;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>What an <see cref="IRetriever"/> is asked for: the query, how many chunks, and which chunks may be returned.</summary>
/// <remarks>
/// A class rather than positional arguments so that retrieval can grow (new settings are new properties) without breaking
/// retrievers or callers. Every retriever AiEng ships honours <see cref="Top"/> and <see cref="Filter"/>; retrievers that
/// decorate others (hybrid fusion, reranking, query transformation) pass both to the retrievers they call.
/// </remarks>
public sealed class RetrievalRequest
{
    /// <summary>The number of chunks a request asks for when <see cref="Top"/> is not set.</summary>
    public const int DefaultTop = 5;

    private int _top = DefaultTop;

    /// <summary>Initializes a new instance of the <see cref="RetrievalRequest"/> class.</summary>
    /// <param name="query">The query text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    public RetrievalRequest(string query)
    {
        Query = Throw.IfNull(query);
    }

    /// <summary>Gets the query text.</summary>
    public string Query { get; }

    /// <summary>Gets or sets the largest number of chunks to return; at least 1. Default: <see cref="DefaultTop"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Top
    {
        get => _top;
        set => _top = Throw.IfLessThan(value, 1);
    }

    /// <summary>
    /// Gets or sets a condition every returned chunk satisfies, or <see langword="null"/> for none. It is applied before the
    /// top chunks are chosen (a filtered search still returns up to <see cref="Top"/> chunks), on every side of a hybrid
    /// search: dense retrievers give it to the vector store as its search filter (so it must use what the store can
    /// translate: equality, comparisons, <c>&amp;&amp;</c>, <c>||</c>, <c>!</c> and <c>Contains</c> on the record's
    /// filterable fields), and keyword retrievers evaluate it on each candidate record.
    /// </summary>
    public Expression<Func<ChunkRecord, bool>>? Filter { get; set; }

    /// <summary>Gets or sets settings for a custom retriever that AiEng's own retrievers pass on and otherwise ignore.</summary>
    public AdditionalPropertiesDictionary? AdditionalProperties { get; set; }

    /// <summary>Returns a copy of this request for another query (and optionally another number of chunks), with the same filter and settings.</summary>
    /// <param name="query">The query text of the copy.</param>
    /// <param name="top">The number of chunks of the copy; <see langword="null"/> keeps <see cref="Top"/>.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    /// <remarks>Query-transforming retrievers use it to ask the retriever they wrap for each derived query.</remarks>
    public RetrievalRequest ForQuery(string query, int? top = null) =>
        new(query) { Top = top ?? Top, Filter = Filter, AdditionalProperties = AdditionalProperties };
}
