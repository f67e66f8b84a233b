using System.Linq.Expressions;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>What an <see cref="IRetriever"/> is asked for: the query, how many chunks, and which chunks may be returned.</summary>
/// <remarks>
/// A class rather than positional arguments so that retrieval can grow (new settings are new properties) without breaking
/// retrievers or callers. Every retriever AiEng ships honours <see cref="Top"/>, <see cref="Filter"/> and
/// <see cref="MetadataFilter"/>; retrievers that decorate others (hybrid fusion, reranking, query transformation) pass them
/// to the retrievers they call (<see cref="ForQuery"/>).
/// </remarks>
/// <example>
/// <code>
/// var request = new RetrievalRequest("how do I reset the router?") { Top = 8 }.Where("tenant", user.Tenant).WhereAny("lang", "en", "de");
/// </code>
/// </example>
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

    /// <summary>
    /// Gets or sets a filter on the chunks' metadata (equality and any-of on keys declared filterable), or
    /// <see langword="null"/> for none. Applied like <see cref="Filter"/> (both must hold), before the top chunks are chosen,
    /// on every side of a hybrid search. Set it with <see cref="Where"/> and <see cref="WhereAny"/>.
    /// </summary>
    public MetadataFilter? MetadataFilter { get; set; }

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
        new(query) { Top = top ?? Top, Filter = Filter, MetadataFilter = MetadataFilter, AdditionalProperties = AdditionalProperties };

    /// <summary>Adds to <see cref="MetadataFilter"/> the condition that metadata key <paramref name="key"/> equals <paramref name="value"/>.</summary>
    /// <param name="key">A metadata key declared filterable (for example in <c>AiEng:Retrieval:FilterableFields</c>).</param>
    /// <param name="value">The value chunks must have (ordinal comparison).</param>
    /// <returns>This request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty, white space or contains <c>=</c>.</exception>
    public RetrievalRequest Where(string key, string value)
    {
        MetadataFilter = (MetadataFilter ?? new MetadataFilter()).Where(key, value);
        return this;
    }

    /// <summary>
    /// Adds to <see cref="MetadataFilter"/> the condition that metadata key <paramref name="key"/> has one of
    /// <paramref name="values"/>; with no values no chunk passes.
    /// </summary>
    /// <param name="key">A metadata key declared filterable.</param>
    /// <param name="values">The accepted values (ordinal comparison).</param>
    /// <returns>This request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/>, <paramref name="values"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty, white space or contains <c>=</c>.</exception>
    public RetrievalRequest WhereAny(string key, params IEnumerable<string> values)
    {
        MetadataFilter = (MetadataFilter ?? new MetadataFilter()).WhereAny(key, values);
        return this;
    }
}
