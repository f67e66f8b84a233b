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
internal sealed class MappedChunkCollection<TRecord> : ChunkCollectionWrapper<TRecord>
    where TRecord : class
{
    private readonly ChunkRecordMapper<TRecord> _mapper;

    public MappedChunkCollection(VectorStoreCollection<Guid, TRecord> inner, ChunkRecordMapper<TRecord> mapper, bool ownsInner)
        : base(inner, ownsInner)
    {
        _mapper = Throw.IfNull(mapper);
    }

    /// <inheritdoc/>
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) => Inner.EnsureCollectionDeletedAsync(cancellationToken);

    /// <inheritdoc/>
    public override async Task<ChunkRecord?> GetAsync(Guid key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        TRecord? record = await Inner.GetAsync(key, options, cancellationToken).ConfigureAwait(false);
        return record is null ? null : _mapper.ToChunk(record);
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChunkRecord> GetAsync(IEnumerable<Guid> keys, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
        MapAsync(Inner.GetAsync(keys, options, cancellationToken), cancellationToken);

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
        return MapAsync(Inner.GetAsync(ChunkFilterTranslator<TRecord>.Translate(_mapper, filter)!, top, translated, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public override Task DeleteAsync(Guid key, CancellationToken cancellationToken = default) => Inner.DeleteAsync(key, cancellationToken);

    /// <inheritdoc/>
    public override Task DeleteAsync(IEnumerable<Guid> keys, CancellationToken cancellationToken = default) => Inner.DeleteAsync(keys, cancellationToken);

    /// <inheritdoc/>
    public override Task UpsertAsync(ChunkRecord record, CancellationToken cancellationToken = default) =>
        Inner.UpsertAsync(_mapper.ToRecord(Throw.IfNull(record)), cancellationToken);

    /// <inheritdoc/>
    public override Task UpsertAsync(IEnumerable<ChunkRecord> records, CancellationToken cancellationToken = default) =>
        Inner.UpsertAsync(Throw.IfNull(records).Select(_mapper.ToRecord), cancellationToken);

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
        return SearchCoreAsync(Inner.SearchAsync(searchValue, top, translated, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public override Task ReplaceAsync(IReadOnlyCollection<Guid> keysToDelete, IReadOnlyCollection<ChunkRecord> recordsToUpsert, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(recordsToUpsert);
        var writer = AtomicWriter ?? throw NoAtomicWriter();

        // A lazy view, so a staged document is still read from its file once, as the store enumerates it.
        return writer.ReplaceAsync(keysToDelete, new MappedRecords(recordsToUpsert, _mapper), cancellationToken);
    }

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
