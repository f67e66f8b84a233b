using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// A collection of an <see cref="InMemoryVectorStore"/>: records kept in process memory, searched by an exact SIMD scan
/// (or an int8 quantised scan with exact rescoring, see <see cref="InMemoryVectorStoreOptions.Quantization"/>, or an
/// HNSW graph for <c>IndexKind.Hnsw</c>, see <see cref="InMemoryVectorStoreOptions.Hnsw"/> and
/// <see cref="SaveIndexAsync"/>).
/// </summary>
/// <typeparam name="TKey">The key type: <see cref="string"/>, <see cref="Guid"/>, <see cref="int"/> or <see cref="long"/>.</typeparam>
/// <typeparam name="TRecord">The record type, mapped by its MEVD attributes or by the collection definition.</typeparam>
/// <remarks>
/// <para>
/// Records are copied in and out: mutating a record after upserting it, or a returned record, never changes the store.
/// Vectors come back only when <c>IncludeVectors</c> is set. Filters can be any expression over the record; a filter
/// that dereferences a null property counts as not matching.
/// </para>
/// <para>
/// Many readers and writers may use the collection at once. Every write (a batch upsert or delete, or a
/// <see cref="IAtomicRecordWriter{TKey, TRecord}.ReplaceAsync"/> from <see cref="GetService"/>) is atomic to searches and
/// reads. Equal scores are ordered by key (ordinal for strings), so results are deterministic.
/// </para>
/// </remarks>
// RS0026 (several overloads with optional parameters): the overloads override VectorStoreCollection's and must keep its
// signatures.
#pragma warning disable RS0026
public sealed class InMemoryVectorStoreCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>, IAtomicRecordWriter<TKey, TRecord>
    where TKey : notnull
    where TRecord : class
{
    private const string SystemName = "aieng.inmemory";

    private readonly InMemoryVectorStore _store;
    private readonly RecordModel _model;
    private readonly VectorMetric _metric;
    private readonly IEmbeddingGenerator? _generator;
    private bool _disposed;

    internal InMemoryVectorStoreCollection(InMemoryVectorStore store, string name, VectorStoreCollectionDefinition? definition)
    {
        _store = store;
        Name = name;
        _model = RecordModelBuilder.Build(typeof(TRecord), definition);
        RecordModelBuilder.CheckKeyType(_model, typeof(TKey));
        _metric = VectorMetrics.Parse(_model);
        VectorIndexFactory.Validate(_model, _metric);
        var vectorDefinition = definition?.Properties.OfType<VectorStoreVectorProperty>().FirstOrDefault();
        _generator = vectorDefinition?.EmbeddingGenerator ?? definition?.EmbeddingGenerator ?? store.Options.EmbeddingGenerator;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        Enter(cancellationToken);
        return Task.FromResult(_store.FindStorage(Name) is not null);
    }

    /// <inheritdoc/>
    /// <exception cref="VectorStoreException">A collection of that name exists with another record type, key type, dimension or distance function.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        Enter(cancellationToken);
        var storage = _store.GetOrAddStorage(Name, () => new InMemoryCollectionStorage<TKey, TRecord>(_model, _metric, _store.Options));
        _ = Compatible(storage, "EnsureCollectionExists");
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        Enter(cancellationToken);
        _store.RemoveStorage(Name);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public override Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(key);
        Enter(cancellationToken);
        return Task.FromResult(Storage("Get").Get(key, options?.IncludeVectors ?? false));
    }

    /// <inheritdoc/>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public override IAsyncEnumerable<TRecord> GetAsync(IEnumerable<TKey> keys, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(keys);
        Enter(cancellationToken);
        return Yield(Storage("Get").Get(keys, options?.IncludeVectors ?? false), cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1 or the skip is negative.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public override IAsyncEnumerable<TRecord> GetAsync(
        Expression<Func<TRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(filter);
        _ = Throw.IfLessThan(top, 1);
        int skip = options?.Skip ?? 0;
        _ = Throw.IfLessThan(skip, 0);
        Enter(cancellationToken);
        var order = new List<(Func<TRecord, object?>, bool)>();
        if (options?.OrderBy is { } orderBy)
        {
            foreach (var sort in orderBy(new FilteredRecordRetrievalOptions<TRecord>.OrderByDefinition()).Values)
            {
                order.Add((sort.PropertySelector.Compile(), sort.Ascending));
            }
        }

        var records = Storage("Get").Query(filter.Compile(), top, skip, order, options?.IncludeVectors ?? false);
        return Yield(records, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(key);
        return DeleteAsync([key], cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public override Task DeleteAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(keys);
        Enter(cancellationToken);
        Storage("Delete").Write([.. keys], []);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The record's key is null or its vector does not have the collection's dimensions or holds a NaN or an infinity.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A record's key is null or its vector does not have the collection's dimensions or holds a NaN or an infinity; nothing of the batch is written.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public override Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(records);
        Enter(cancellationToken);
        var storage = Storage("Upsert");
        storage.Write([], Prepare(records, nameof(records)));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1 or the skip is negative.</exception>
    /// <exception cref="ArgumentException">The search vector does not have the collection's dimensions or holds a NaN or an infinity.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TInput"/> is not a vector and no embedding generator for it is configured.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public override IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(searchValue);
        _ = Throw.IfLessThan(top, 1);
        int skip = options?.Skip ?? 0;
        _ = Throw.IfLessThan(skip, 0);
        Enter(cancellationToken);
        ReadOnlyMemory<float> vector;
        switch (searchValue)
        {
            case ReadOnlyMemory<float> memory:
                vector = memory;
                break;
            case Memory<float> writable:
                vector = writable;
                break;
            case float[] array:
                vector = array;
                break;
            case Embedding<float> embedding:
                vector = embedding.Vector;
                break;
            case var _ when _generator is IEmbeddingGenerator<TInput, Embedding<float>>:
                return SearchGeneratedAsync(searchValue, top, skip, options, cancellationToken);
            default:
                throw new NotSupportedException(
                    $"The in-memory collection '{Name}' cannot search with a {typeof(TInput).Name}: pass ReadOnlyMemory<float>, float[] or Embedding<float>, "
                    + $"or configure an IEmbeddingGenerator<{typeof(TInput).Name}, Embedding<float>> on the collection definition or the store options.");
        }

        _model.CheckDimensions(vector.Length, "the search value", nameof(searchValue));
        VectorMetrics.CheckFinite(_model, vector.Span, "the search value", nameof(searchValue));
        return Yield(Search(vector, top, skip, options), cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A record's key is null or its vector does not have the collection's dimensions or holds a NaN or an infinity; nothing is changed.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    Task IAtomicRecordWriter<TKey, TRecord>.ReplaceAsync(
        IReadOnlyCollection<TKey> keysToDelete, IReadOnlyCollection<TRecord> recordsToUpsert, CancellationToken cancellationToken)
    {
        _ = Throw.IfNull(keysToDelete);
        _ = Throw.IfNull(recordsToUpsert);
        Enter(cancellationToken);
        var storage = Storage("Replace");
        storage.Write(keysToDelete, Prepare(recordsToUpsert, nameof(recordsToUpsert)));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Writes this collection's HNSW graph, with the key of each node, to <paramref name="stream"/> (records and data
    /// properties are not written: keep them in their source, such as a <c>SqliteVectorStore</c> or your documents).
    /// </summary>
    /// <param name="stream">A writable stream; it is left open, positioned after the index.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the index is written (the write itself is synchronous).</returns>
    /// <remarks>Searches may run while the index is saved; writes wait.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The collection does not use an HNSW index.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public Task SaveIndexAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(stream);
        Enter(cancellationToken);
        Storage("SaveIndex").SaveIndex(stream);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Loads an HNSW graph written by <see cref="SaveIndexAsync"/> into this existing, empty collection, so that the
    /// records can be upserted again without rebuilding the graph: an upserted record whose key was saved and whose
    /// vector is unchanged reuses its node; other records are added to the graph as usual. Nodes of saved keys that are
    /// never upserted are never returned.
    /// </summary>
    /// <param name="stream">A readable stream positioned at a saved index; it is left open.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the index is loaded (the read itself is synchronous).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The saved graph has another number of dimensions (the message names both).</exception>
    /// <exception cref="InvalidDataException">The stream does not hold a saved index, or it is damaged.</exception>
    /// <exception cref="InvalidOperationException">The collection does not use an HNSW index, or already holds records.</exception>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The collection or its store is disposed.</exception>
    public Task LoadIndexAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(stream);
        Enter(cancellationToken);
        Storage("LoadIndex").LoadIndex(stream);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Returns this collection for <see cref="IAtomicRecordWriter{TKey, TRecord}"/> (atomic delete-and-upsert), a
    /// <see cref="VectorStoreCollectionMetadata"/>, or the collection itself for a type it is.
    /// </remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        _ = Throw.IfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(VectorStoreCollectionMetadata))
        {
            return new VectorStoreCollectionMetadata { VectorStoreSystemName = SystemName, CollectionName = Name };
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    private static async IAsyncEnumerable<T> Yield<T>(List<T> items, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchGeneratedAsync<TInput>(
        TInput searchValue, int top, int skip, VectorSearchOptions<TRecord>? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var generator = (IEmbeddingGenerator<TInput, Embedding<float>>)_generator!;
        var embedding = await generator.GenerateAsync(searchValue, new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Query), cancellationToken).ConfigureAwait(false);
        _model.CheckDimensions(embedding.Vector.Length, "the generated search embedding", nameof(searchValue));
        VectorMetrics.CheckFinite(_model, embedding.Vector.Span, "the generated search embedding", nameof(searchValue));
        foreach (var result in Search(embedding.Vector, top, skip, options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return result;
        }
    }

    private List<VectorSearchResult<TRecord>> Search(ReadOnlyMemory<float> vector, int top, int skip, VectorSearchOptions<TRecord>? options)
    {
        var filter = options?.Filter?.Compile();
        return Storage("Search").Search(vector.Span, top, skip, filter, options?.ScoreThreshold, options?.IncludeVectors ?? false);
    }

    private List<(TKey Key, TRecord Record, ReadOnlyMemory<float> Vector)> Prepare(IEnumerable<TRecord> records, string paramName)
    {
        var prepared = new List<(TKey, TRecord, ReadOnlyMemory<float>)>();
        foreach (var record in records)
        {
            if (record is null)
            {
                throw new ArgumentException("The records contain null.", paramName);
            }

            if (_model.GetKey(record) is not TKey key)
            {
                throw new ArgumentException($"A record of type '{typeof(TRecord).Name}' has no key ('{_model.Key.Name}' is null).", paramName);
            }

            var vector = _model.GetVector(record);
            _model.CheckDimensions(vector.Length, $"record '{key}'", paramName);
            VectorMetrics.CheckFinite(_model, vector.Span, $"record '{key}'", paramName);
            prepared.Add((key, (TRecord)_model.Clone(record, includeVector: false), vector.ToArray()));
        }

        return prepared;
    }

    private void Enter(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        _store.ThrowIfDisposed();
    }

    private InMemoryCollectionStorage<TKey, TRecord> Storage(string operation) =>
        Compatible(
            _store.FindStorage(Name) ?? throw new VectorStoreException(
                $"The collection '{Name}' does not exist; call EnsureCollectionExistsAsync before using it.")
            {
                VectorStoreSystemName = SystemName,
                CollectionName = Name,
                OperationName = operation,
            },
            operation);

    private InMemoryCollectionStorage<TKey, TRecord> Compatible(object storage, string operation)
    {
        if (storage is InMemoryCollectionStorage<TKey, TRecord> typed && typed.Model.Dimensions == _model.Dimensions && typed.Metric == _metric)
        {
            return typed;
        }

        string existing = storage is InMemoryCollectionStorage<TKey, TRecord> other
            ? $"{other.Model.Dimensions} dimensions compared by {other.Metric}"
            : $"another record or key type ({storage.GetType().GetGenericArguments()[1].Name} keyed by {storage.GetType().GetGenericArguments()[0].Name})";
        throw new VectorStoreException(
            $"The collection '{Name}' already exists with {existing}; this collection object expects {typeof(TRecord).Name} keyed by {typeof(TKey).Name} "
            + $"with {_model.Dimensions} dimensions compared by {_metric}.")
        {
            VectorStoreSystemName = SystemName,
            CollectionName = Name,
            OperationName = operation,
        };
    }
}
#pragma warning restore RS0026
