using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.Tests.Retrieval.Ingestion;

/// <summary>
/// A small in-memory <see cref="VectorStoreCollection{TKey, TRecord}"/> of chunk records for ingestion tests: it can offer
/// an <see cref="IAtomicRecordWriter{TKey, TRecord}"/>, check dimensions like a real store, fail a chosen write, and drop
/// vectors (so that a memory test measures the ingestor, not the store).
/// </summary>
internal sealed class FakeChunkCollection : VectorStoreCollection<Guid, ChunkRecord>, IAtomicRecordWriter<Guid, ChunkRecord>
{
    private readonly SortedDictionary<Guid, ChunkRecord> _records = new();
    private readonly bool _atomic;
    private int _writes;

    public FakeChunkCollection(bool atomic, int? dimensions = null, string name = "chunks")
    {
        _atomic = atomic;
        Dimensions = dimensions;
        Name = name;
    }

    public override string Name { get; }

    /// <summary>Gets the embedding size the store enforces at write time, like a collection created with that definition.</summary>
    public int? Dimensions { get; }

    /// <summary>Gets or sets a value indicating whether <c>GetService</c> returns the collection definition (with <see cref="Dimensions"/>).</summary>
    public bool ExposesDefinition { get; set; }

    /// <summary>Gets or sets a value indicating whether stored records keep their vectors.</summary>
    public bool KeepsVectors { get; set; } = true;

    /// <summary>Gets or sets the 1-based number of the write call (upsert or replace) that fails before changing anything.</summary>
    public int? FailOnWrite { get; set; }

    /// <summary>Gets or sets a callback run at the start of each write call, with the number of records it carries.</summary>
    public Action<int>? OnWrite { get; set; }

    public bool Exists { get; private set; }

    public int UpsertCalls { get; private set; }

    public int DeleteCalls { get; private set; }

    public List<(IReadOnlyList<Guid> Deleted, int Upserted)> Replacements { get; } = [];

    public ChunkRecord[] Records
    {
        get
        {
            lock (_records)
            {
                return [.. _records.Values.Select(r => Copy(r, true))];
            }
        }
    }

    public ChunkRecord[] RecordsOf(string documentId) => [.. Records.Where(r => r.DocumentId == documentId).OrderBy(r => r.ChunkIndex)];

    public void Seed(params ChunkRecord[] records)
    {
        Exists = true;
        lock (_records)
        {
            foreach (ChunkRecord record in records)
            {
                _records[record.Key] = Copy(record, true);
            }
        }
    }

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Exists);

    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        Exists = true;
        return Task.CompletedTask;
    }

    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        Exists = false;
        lock (_records)
        {
            _records.Clear();
        }

        return Task.CompletedTask;
    }

    public override Task<ChunkRecord?> GetAsync(Guid key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_records)
        {
            return Task.FromResult(_records.TryGetValue(key, out ChunkRecord? record) ? Copy(record, options?.IncludeVectors == true) : null);
        }
    }

    public override async IAsyncEnumerable<ChunkRecord> GetAsync(
        IEnumerable<Guid> keys, RecordRetrievalOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (Guid key in keys)
        {
            if (await GetAsync(key, options, cancellationToken) is ChunkRecord record)
            {
                yield return record;
            }
        }
    }

    public override async IAsyncEnumerable<ChunkRecord> GetAsync(
        Expression<Func<ChunkRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<ChunkRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        CheckExists();
        Func<ChunkRecord, bool> predicate = filter.Compile();
        ChunkRecord[] page;
        lock (_records)
        {
            page = [.. _records.Values.Where(predicate).Skip(options?.Skip ?? 0).Take(top).Select(r => Copy(r, options?.IncludeVectors == true))];
        }

        foreach (ChunkRecord record in page)
        {
            yield return record;
        }
    }

    public override Task DeleteAsync(Guid key, CancellationToken cancellationToken = default) => DeleteAsync([key], cancellationToken);

    public override Task DeleteAsync(IEnumerable<Guid> keys, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckExists();
        DeleteCalls++;
        lock (_records)
        {
            foreach (Guid key in keys)
            {
                _records.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public override Task UpsertAsync(ChunkRecord record, CancellationToken cancellationToken = default) => UpsertAsync([record], cancellationToken);

    public override Task UpsertAsync(IEnumerable<ChunkRecord> records, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckExists();
        UpsertCalls++;
        List<ChunkRecord> batch = Validate(records);
        Apply([], batch);
        return Task.CompletedTask;
    }

    public Task ReplaceAsync(IReadOnlyCollection<Guid> keysToDelete, IReadOnlyCollection<ChunkRecord> recordsToUpsert, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckExists();
        List<ChunkRecord> batch = Validate(recordsToUpsert);
        if (batch.Count != recordsToUpsert.Count)
        {
            throw new InvalidOperationException($"The collection says it has {recordsToUpsert.Count} records but enumerates {batch.Count}.");
        }

        Replacements.Add(([.. keysToDelete], batch.Count));
        Apply(keysToDelete, batch);
        return Task.CompletedTask;
    }

    public override IAsyncEnumerable<VectorSearchResult<ChunkRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake collection does not search.");

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceKey is not null)
        {
            return null;
        }

        if (_atomic && serviceType == typeof(IAtomicRecordWriter<Guid, ChunkRecord>))
        {
            return this;
        }

        return ExposesDefinition && Dimensions is int dimensions && serviceType == typeof(VectorStoreCollectionDefinition)
            ? ChunkRecord.CreateDefinition(dimensions)
            : null;
    }

    private List<ChunkRecord> Validate(IEnumerable<ChunkRecord> records)
    {
        // Enumerate first (a staged collection is read here), keeping only what the store keeps.
        var batch = records.Select(r => Copy(r, KeepsVectors)).ToList();
        _writes++;
        OnWrite?.Invoke(batch.Count);
        if (_writes == FailOnWrite)
        {
            throw new IOException($"Injected failure of write {_writes}.");
        }

        foreach (ChunkRecord record in records.Take(Dimensions is null ? 0 : int.MaxValue))
        {
            if (record.Embedding.Length != Dimensions)
            {
                throw new ArgumentException($"The vector of record '{record.Key}' does not fit the collection: expected {Dimensions} dimensions, got {record.Embedding.Length}.");
            }
        }

        return batch;
    }

    private void Apply(IEnumerable<Guid> keysToDelete, List<ChunkRecord> batch)
    {
        lock (_records)
        {
            foreach (Guid key in keysToDelete)
            {
                _records.Remove(key);
            }

            foreach (ChunkRecord record in batch)
            {
                _records[record.Key] = record;
            }
        }
    }

    private void CheckExists()
    {
        if (!Exists)
        {
            throw new VectorStoreException($"The collection '{Name}' does not exist; call EnsureCollectionExistsAsync first.") { CollectionName = Name };
        }
    }

    private static ChunkRecord Copy(ChunkRecord r, bool withVector) => new()
    {
        Key = r.Key,
        DocumentId = r.DocumentId,
        ChunkIndex = r.ChunkIndex,
        Text = r.Text,
        Title = r.Title,
        Source = r.Source,
        StartOffset = r.StartOffset,
        EndOffset = r.EndOffset,
        HeadingPath = r.HeadingPath,
        Page = r.Page,
        ContentHash = r.ContentHash,
        Metadata = r.Metadata,
        Tags = [.. r.Tags],
        Embedding = withVector ? r.Embedding.ToArray() : default,
    };
}
