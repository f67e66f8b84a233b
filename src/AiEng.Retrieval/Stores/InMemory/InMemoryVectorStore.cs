using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AiEng.Shared;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// A Microsoft.Extensions.VectorData <see cref="VectorStore"/> that keeps its collections in process memory and answers
/// searches with an exact SIMD scan over one contiguous float32 matrix per collection, optionally int8-quantised with
/// exact rescoring (<see cref="InMemoryVectorStoreOptions"/>). Nothing is persisted.
/// </summary>
/// <remarks>
/// Collections are shared by name: every <see cref="GetCollection{TKey, TRecord}"/> of the same name sees the same records.
/// Dynamic (dictionary) collections are not supported. Disposing the store drops all its collections.
/// </remarks>
public sealed class InMemoryVectorStore : VectorStore
{
    private const string SystemName = "aieng.inmemory";

    private readonly ConcurrentDictionary<string, object> _collections = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="InMemoryVectorStore"/> class.</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. The store keeps a copy.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">An <see cref="InMemoryVectorStoreOptions.Hnsw"/> value is out of range (the message names it).</exception>
    public InMemoryVectorStore(InMemoryVectorStoreOptions? options = null)
    {
        Options = (options ?? new InMemoryVectorStoreOptions()).ValidateAndClone();
    }

    /// <summary>Gets the validated copy of the options.</summary>
    internal InMemoryVectorStoreOptions Options { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or white space.</exception>
    /// <exception cref="NotSupportedException">The record type cannot be stored (the message names the type and property).</exception>
    /// <exception cref="InvalidOperationException">The record type or definition is not a valid record model.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public override InMemoryVectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        _ = Throw.IfNullOrWhitespace(name);
        ThrowIfDisposed();
        return new InMemoryVectorStoreCollection<TKey, TRecord>(this, name, definition);
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: use <see cref="GetCollection{TKey, TRecord}"/> with a record class.</exception>
    public override VectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition) =>
        throw new NotSupportedException("The AiEng in-memory store does not support dynamic collections; use GetCollection<TKey, TRecord> with a record class.");

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        foreach (var name in _collections.Keys.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return name;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        return Task.FromResult(_collections.ContainsKey(name));
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        _ = Throw.IfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        RemoveStorage(name);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        _ = Throw.IfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(VectorStoreMetadata))
        {
            return new VectorStoreMetadata { VectorStoreSystemName = SystemName };
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Gets the storage of collection <paramref name="name"/>, or <see langword="null"/> when it does not exist.</summary>
    internal object? FindStorage(string name) => _collections.GetValueOrDefault(name);

    /// <summary>Gets the storage of collection <paramref name="name"/>, creating it if needed.</summary>
    internal object GetOrAddStorage(string name, Func<object> create) => _collections.GetOrAdd(name, _ => create());

    /// <summary>Removes collection <paramref name="name"/> if it exists.</summary>
    internal void RemoveStorage(string name) => _collections.TryRemove(name, out _);

    /// <summary>Throws <see cref="ObjectDisposedException"/> when the store is disposed.</summary>
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _collections.Clear();
        base.Dispose(disposing);
    }
}
