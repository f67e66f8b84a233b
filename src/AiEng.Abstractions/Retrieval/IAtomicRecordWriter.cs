namespace AiEng.Retrieval;

/// <summary>
/// Deletes and upserts records of a vector store collection as one atomic step: readers see either all of the change or
/// none of it, and a crash leaves either all of it or none of it.
/// </summary>
/// <typeparam name="TKey">The record key type.</typeparam>
/// <typeparam name="TRecord">The record type.</typeparam>
/// <remarks>
/// AiEng's own collections return an implementation from
/// <c>VectorStoreCollection&lt;TKey, TRecord&gt;.GetService(typeof(IAtomicRecordWriter&lt;TKey, TRecord&gt;))</c>.
/// Ingestion uses it to replace all chunks of a changed document at once; over a collection that does not offer it,
/// ingestion upserts the new chunks first and deletes the stale ones after, so a document is never missing, but a
/// search running in between may see both versions.
/// </remarks>
public interface IAtomicRecordWriter<TKey, TRecord>
    where TKey : notnull
    where TRecord : class
{
    /// <summary>Deletes <paramref name="keysToDelete"/> and upserts <paramref name="recordsToUpsert"/> in one atomic step.</summary>
    /// <param name="keysToDelete">The keys of the records to delete; keys that do not exist are ignored.</param>
    /// <param name="recordsToUpsert">The records to insert or replace; applied after the deletions.</param>
    /// <param name="cancellationToken">A token that cancels the operation before it commits.</param>
    /// <returns>A task that completes when the change is committed.</returns>
    Task ReplaceAsync(IReadOnlyCollection<TKey> keysToDelete, IReadOnlyCollection<TRecord> recordsToUpsert, CancellationToken cancellationToken = default);
}
