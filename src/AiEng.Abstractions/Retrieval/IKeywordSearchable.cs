using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// A vector store collection that ranks its records by keyword relevance itself (BM25 in AiEng's embedded stores), from an index it keeps beside the
/// records (and writes with them), so that keyword retrieval needs no index in the application's memory.
/// </summary>
/// <typeparam name="TRecord">The record type.</typeparam>
/// <remarks>
/// <para>
/// Shaped like Microsoft.Extensions.VectorData's <c>IKeywordHybridSearchable&lt;TRecord&gt;</c>, but keyword-only and given
/// the query text rather than keywords: the collection analyses the text into terms itself. AiEng's embedded stores
/// (SQLite) analyse and score exactly as AiEng's in-memory index does (English analysis, BM25 with k1 0.9 and b 0.4,
/// Lucene's length rounding), so switching between them changes no score; the PostgreSQL store ranks with PostgreSQL
/// full-text search (<c>ts_rank_cd</c>) instead, whose scores are on another scale.
/// </para>
/// <para>
/// Collections offer it from <c>GetService(typeof(IKeywordSearchable&lt;TRecord&gt;))</c>, as they offer
/// <see cref="IAtomicRecordWriter{TKey, TRecord}"/>; <c>AddRetrieval</c> and <c>StoreKeywordRetriever</c> use it when it is there.
/// </para>
/// </remarks>
public interface IKeywordSearchable<TRecord>
    where TRecord : class
{
    /// <summary>Finds the records whose full-text properties best match <paramref name="query"/>, best first.</summary>
    /// <param name="query">The query text; records that share no term with it are not returned.</param>
    /// <param name="top">The largest number of records to return; at least 1.</param>
    /// <param name="options">The filter and whether to return vectors; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">A token that cancels the search.</param>
    /// <returns>The matching records with their keyword scores (higher is better), best first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    /// <exception cref="VectorStoreException">The store failed, for example because the collection does not exist.</exception>
    IAsyncEnumerable<VectorSearchResult<TRecord>> KeywordSearchAsync(string query, int top, KeywordSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default);
}
