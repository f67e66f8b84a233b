using System.Linq.Expressions;
using AiEng.Shared;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Passes every call to a collection of <see cref="ChunkRecord"/>s and records the keys written through it, so that the
/// keyword index <c>AddRetrieval</c> keeps in memory applies just those changes instead of reading the collection again.
/// </summary>
/// <remarks>
/// The keys of a write are recorded in every subscriber's <see cref="ChangeFeed"/> after the write completes (or fails,
/// which may have written part of it); deleting the collection asks subscribers to read it all again. Writes made to the
/// inner collection directly are not seen. When the inner collection offers an
/// <see cref="IAtomicRecordWriter{TKey, TRecord}"/>, so does this one, recording its replacements too.
/// </remarks>
// RS0026 (several overloads with optional parameters): the overloads override VectorStoreCollection's.
#pragma warning disable RS0026
internal sealed class ChangeTrackingCollection : ChunkCollectionWrapper<ChunkRecord>
{
    private readonly Lock _subscribersLock = new();
    private ChangeFeed[] _subscribers = [];
    private long _version;

    /// <summary>Initializes a new instance of the <see cref="ChangeTrackingCollection"/> class.</summary>
    /// <param name="inner">The collection to pass the calls to.</param>
    /// <param name="ownsInner">Whether disposing this collection disposes <paramref name="inner"/>.</param>
    public ChangeTrackingCollection(VectorStoreCollection<Guid, ChunkRecord> inner, bool ownsInner)
        : base(inner, ownsInner)
    {
    }

    /// <summary>Gets a number that changes after every write made through this collection.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Returns a new feed that receives the keys of every later write made through this collection.</summary>
    public ChangeFeed Subscribe()
    {
        var feed = new ChangeFeed();
        lock (_subscribersLock)
        {
            _subscribers = [.. _subscribers, feed];
        }

        return feed;
    }

    /// <summary>Returns <paramref name="collection"/> when it already counts its writes, or a wrapper that counts them and does not own it.</summary>
    public static ChangeTrackingCollection Of(VectorStoreCollection<Guid, ChunkRecord> collection) =>
        collection as ChangeTrackingCollection ?? new ChangeTrackingCollection(collection, ownsInner: false);

    /// <inheritdoc/>
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) => WriteAsync(Inner.EnsureCollectionDeletedAsync(cancellationToken), keys: null);

    /// <inheritdoc/>
    public override Task<ChunkRecord?> GetAsync(Guid key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.GetAsync(key, options, cancellationToken);

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChunkRecord> GetAsync(IEnumerable<Guid> keys, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.GetAsync(keys, options, cancellationToken);

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChunkRecord> GetAsync(
        Expression<Func<ChunkRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default) =>
        Inner.GetAsync(filter, top, options, cancellationToken);

    /// <inheritdoc/>
    public override Task DeleteAsync(Guid key, CancellationToken cancellationToken = default) => WriteAsync(Inner.DeleteAsync(key, cancellationToken), [key]);

    /// <inheritdoc/>
    public override Task DeleteAsync(IEnumerable<Guid> keys, CancellationToken cancellationToken = default)
    {
        var list = Throw.IfNull(keys).ToList();
        return WriteAsync(Inner.DeleteAsync(list, cancellationToken), list);
    }

    /// <inheritdoc/>
    public override Task UpsertAsync(ChunkRecord record, CancellationToken cancellationToken = default) =>
        WriteAsync(Inner.UpsertAsync(record, cancellationToken), record is null ? [] : [record.Key]);

    /// <inheritdoc/>
    public override Task UpsertAsync(IEnumerable<ChunkRecord> records, CancellationToken cancellationToken = default)
    {
        var list = Throw.IfNull(records).ToList();
        return WriteAsync(Inner.UpsertAsync(list, cancellationToken), KeysOf(list));
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<VectorSearchResult<ChunkRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default) =>
        Inner.SearchAsync(searchValue, top, options, cancellationToken);

    /// <inheritdoc/>
    public override Task ReplaceAsync(IReadOnlyCollection<Guid> keysToDelete, IReadOnlyCollection<ChunkRecord> recordsToUpsert, CancellationToken cancellationToken = default)
    {
        var writer = AtomicWriter ?? throw NoAtomicWriter();
        return WriteAsync(writer.ReplaceAsync(keysToDelete, recordsToUpsert, cancellationToken), [.. keysToDelete ?? [], .. KeysOf(recordsToUpsert ?? [])]);
    }

    private static List<Guid> KeysOf(IEnumerable<ChunkRecord> records) => [.. records.Where(static record => record is not null).Select(static record => record.Key)];

    /// <summary>Awaits <paramref name="write"/>, then records <paramref name="keys"/> (<see langword="null"/>: the whole collection) in every feed.</summary>
    private async Task WriteAsync(Task write, IReadOnlyCollection<Guid>? keys)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        finally
        {
            // Recorded after the write, never before: a subscriber that drains the keys then reads them sees the write.
            foreach (var feed in Volatile.Read(ref _subscribers))
            {
                if (keys is null)
                {
                    feed.Reset();
                }
                else
                {
                    feed.Add(keys);
                }
            }

            Interlocked.Increment(ref _version);
        }
    }
}
