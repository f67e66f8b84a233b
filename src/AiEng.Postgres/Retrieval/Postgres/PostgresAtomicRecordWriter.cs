using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>Deletes and upserts records of a <see cref="PostgresVectorStoreCollection{TKey, TRecord}"/> in one PostgreSQL transaction.</summary>
internal sealed class PostgresAtomicRecordWriter<TKey, TRecord>(PostgresVectorStoreCollection<TKey, TRecord> collection) : IAtomicRecordWriter<TKey, TRecord>
    where TKey : notnull
    where TRecord : class
{
    /// <inheritdoc />
    public Task ReplaceAsync(IReadOnlyCollection<TKey> keysToDelete, IReadOnlyCollection<TRecord> recordsToUpsert, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(keysToDelete);
        _ = Throw.IfNull(recordsToUpsert);
        return collection.ReplaceAsync(keysToDelete, recordsToUpsert, nameof(ReplaceAsync), cancellationToken);
    }
}
