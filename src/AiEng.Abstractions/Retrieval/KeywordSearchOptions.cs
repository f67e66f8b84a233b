using System.Linq.Expressions;

namespace AiEng.Retrieval;

/// <summary>Options of <see cref="IKeywordSearchable{TRecord}.KeywordSearchAsync"/>.</summary>
/// <typeparam name="TRecord">The record type.</typeparam>
public sealed class KeywordSearchOptions<TRecord>
    where TRecord : class
{
    /// <summary>
    /// Gets or sets a filter records must pass, in the subset of expressions vector store filters support (for
    /// <see cref="ChunkRecord"/>, <c>Tags.Contains("tenant=a")</c> and comparisons of data properties). It is applied
    /// before the top records are chosen and does not change the BM25 statistics. Default: <see langword="null"/>, none.
    /// </summary>
    public Expression<Func<TRecord, bool>>? Filter { get; set; }

    /// <summary>Gets or sets a value indicating whether the returned records carry their vectors. Default: <see langword="false"/>.</summary>
    public bool IncludeVectors { get; set; }
}
