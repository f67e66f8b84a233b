using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using AiEng.Shared;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// A collection of <see cref="ChunkRecord"/>s stored as another record type: every record is converted by a
/// <see cref="ChunkRecordMapper{TRecord}"/> and every filter translated, so ingestion and retrieval work on an
/// application's own records unchanged.
/// </summary>
/// <remarks>
/// Reads and searches return new <see cref="ChunkRecord"/>s. Options that name properties (ordering by a property, a search
/// on a chosen vector property) are not translated and fail with <see cref="NotSupportedException"/>; AiEng's components
/// use neither. When the inner collection offers an <see cref="IAtomicRecordWriter{TKey, TRecord}"/>, so does this one.
/// </remarks>
// RS0026 (several overloads with optional parameters): the overloads override VectorStoreCollection's.
#pragma warning disable RS0026
internal sealed class MappedChunkCollection<TRecord> : VectorStoreCollection<Guid, ChunkRecord>, IAtomicRecordWriter<Guid, ChunkRecord>
    where TRecord : class
{
    private readonly VectorStoreCollection<Guid, TRecord> _inner;
    private readonly ChunkRecordMapper<TRecord> _mapper;
    private readonly bool _ownsInner;
    private int _disposed;

    public MappedChunkCollection(VectorStoreCollection<Guid, TRecord> inner, ChunkRecordMapper<TRecord> mapper, bool ownsInner)
    {
        _inner = Throw.IfNull(inner);
        _mapper = Throw.IfNull(mapper);
        _ownsInner = ownsInner;
    }

    /// <inheritdoc/>
    public override string Name => _inner.Name;

    /// <inheritdoc/>
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => _inner.CollectionExistsAsync(cancellationToken);

    /// <inheritdoc/>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) => _inner.EnsureCollectionExistsAsync(cancellationToken);

    /// <inheritdoc/>
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) => _inner.EnsureCollectionDeletedAsync(cancellationToken);

    /// <inheritdoc/>
    public override async Task<ChunkRecord?> GetAsync(Guid key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        TRecord? record = await _inner.GetAsync(key, options, cancellationToken).ConfigureAwait(false);
        return record is null ? null : _mapper.ToChunk(record);
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChunkRecord> GetAsync(IEnumerable<Guid> keys, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
        MapAsync(_inner.GetAsync(keys, options, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChunkRecord> GetAsync(
        Expression<Func<ChunkRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(filter);
        if (options?.OrderBy is not null)
        {
            throw new NotSupportedException($"A collection mapped by {_mapper.GetType().Name} does not translate {nameof(FilteredRecordRetrievalOptions<ChunkRecord>.OrderBy)}.");
        }

        var translated = options is null ? null : new FilteredRecordRetrievalOptions<TRecord> { Skip = options.Skip, IncludeVectors = options.IncludeVectors };
        return MapAsync(_inner.GetAsync(ChunkFilterTranslator<TRecord>.Translate(_mapper, filter)!, top, translated, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public override Task DeleteAsync(Guid key, CancellationToken cancellationToken = default) => _inner.DeleteAsync(key, cancellationToken);

    /// <inheritdoc/>
    public override Task DeleteAsync(IEnumerable<Guid> keys, CancellationToken cancellationToken = default) => _inner.DeleteAsync(keys, cancellationToken);

    /// <inheritdoc/>
    public override Task UpsertAsync(ChunkRecord record, CancellationToken cancellationToken = default) =>
        _inner.UpsertAsync(_mapper.ToRecord(Throw.IfNull(record)), cancellationToken);

    /// <inheritdoc/>
    public override Task UpsertAsync(IEnumerable<ChunkRecord> records, CancellationToken cancellationToken = default) =>
        _inner.UpsertAsync(Throw.IfNull(records).Select(_mapper.ToRecord), cancellationToken);

    /// <inheritdoc/>
    public override IAsyncEnumerable<VectorSearchResult<ChunkRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default)
    {
        if (options?.VectorProperty is not null)
        {
            throw new NotSupportedException($"A collection mapped by {_mapper.GetType().Name} does not translate {nameof(VectorSearchOptions<ChunkRecord>.VectorProperty)}.");
        }

        var translated = options is null ? null : new VectorSearchOptions<TRecord>
        {
            Filter = ChunkFilterTranslator<TRecord>.Translate(_mapper, options.Filter),
            Skip = options.Skip,
            IncludeVectors = options.IncludeVectors,
            ScoreThreshold = options.ScoreThreshold,
        };
        return SearchCoreAsync(_inner.SearchAsync(searchValue, top, translated, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public Task ReplaceAsync(IReadOnlyCollection<Guid> keysToDelete, IReadOnlyCollection<ChunkRecord> recordsToUpsert, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(recordsToUpsert);
        var writer = AtomicWriter ?? throw new NotSupportedException($"The collection '{Name}' offers no atomic writer.");

        // A lazy view, so a staged document is still read from its file once, as the store enumerates it.
        return writer.ReplaceAsync(keysToDelete, new MappedRecords(recordsToUpsert, _mapper), cancellationToken);
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        Throw.IfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(IAtomicRecordWriter<Guid, ChunkRecord>))
        {
            return AtomicWriter is null ? null : this;
        }

        return _inner.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsInner)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private IAtomicRecordWriter<Guid, TRecord>? AtomicWriter =>
        _inner.GetService(typeof(IAtomicRecordWriter<Guid, TRecord>)) as IAtomicRecordWriter<Guid, TRecord>;

    private async IAsyncEnumerable<ChunkRecord> MapAsync(IAsyncEnumerable<TRecord> records, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (TRecord record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return _mapper.ToChunk(record);
        }
    }

    private async IAsyncEnumerable<VectorSearchResult<ChunkRecord>> SearchCoreAsync(
        IAsyncEnumerable<VectorSearchResult<TRecord>> results, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (VectorSearchResult<TRecord> result in results.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return new VectorSearchResult<ChunkRecord>(_mapper.ToChunk(result.Record), result.Score);
        }
    }

    /// <summary>The records of a replacement, converted as the store enumerates them.</summary>
    private sealed class MappedRecords(IReadOnlyCollection<ChunkRecord> chunks, ChunkRecordMapper<TRecord> mapper) : IReadOnlyCollection<TRecord>
    {
        public int Count => chunks.Count;

        public IEnumerator<TRecord> GetEnumerator() => chunks.Select(mapper.ToRecord).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
