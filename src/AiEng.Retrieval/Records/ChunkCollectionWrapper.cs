using AiEng.Shared;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// The plumbing shared by AiEng's collections of <see cref="ChunkRecord"/>s that pass their calls to another collection
/// (<see cref="ChangeTrackingCollection"/>, <see cref="MappedChunkCollection{TRecord}"/>): the name and existence checks,
/// an <see cref="IAtomicRecordWriter{TKey, TRecord}"/> offered exactly when the inner collection offers one, other services
/// asked of the inner collection, and disposal of the inner collection when it is owned.
/// </summary>
/// <typeparam name="TInner">The inner collection's record type.</typeparam>
// RS0026 (several overloads with optional parameters): the overloads override VectorStoreCollection's.
#pragma warning disable RS0026
internal abstract class ChunkCollectionWrapper<TInner> : VectorStoreCollection<Guid, ChunkRecord>, IAtomicRecordWriter<Guid, ChunkRecord>
    where TInner : class
{
    private readonly bool _ownsInner;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="ChunkCollectionWrapper{TInner}"/> class.</summary>
    /// <param name="inner">The collection to pass the calls to.</param>
    /// <param name="ownsInner">Whether disposing this collection disposes <paramref name="inner"/>.</param>
    protected ChunkCollectionWrapper(VectorStoreCollection<Guid, TInner> inner, bool ownsInner)
    {
        Inner = Throw.IfNull(inner);
        _ownsInner = ownsInner;
    }

    /// <summary>Gets the collection this one passes its calls to.</summary>
    public VectorStoreCollection<Guid, TInner> Inner { get; }

    /// <inheritdoc/>
    public override string Name => Inner.Name;

    /// <summary>Gets the inner collection's atomic writer, or <see langword="null"/> when it offers none.</summary>
    protected IAtomicRecordWriter<Guid, TInner>? AtomicWriter =>
        Inner.GetService(typeof(IAtomicRecordWriter<Guid, TInner>)) as IAtomicRecordWriter<Guid, TInner>;

    /// <inheritdoc/>
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Inner.CollectionExistsAsync(cancellationToken);

    /// <inheritdoc/>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) => Inner.EnsureCollectionExistsAsync(cancellationToken);

    /// <inheritdoc/>
    public abstract Task ReplaceAsync(IReadOnlyCollection<Guid> keysToDelete, IReadOnlyCollection<ChunkRecord> recordsToUpsert, CancellationToken cancellationToken = default);

    /// <inheritdoc/>
    /// <remarks>Returns this collection for <see cref="IAtomicRecordWriter{TKey, TRecord}"/> when the inner collection offers one; asks the inner collection otherwise.</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        Throw.IfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(IAtomicRecordWriter<Guid, ChunkRecord>))
        {
            return AtomicWriter is null ? null : this;
        }

        return Inner.GetService(serviceType, serviceKey);
    }

    /// <summary>Creates the error for an atomic write that the inner collection cannot do, naming the collection.</summary>
    /// <returns>The exception to throw.</returns>
    protected NotSupportedException NoAtomicWriter() => new($"The collection '{Name}' offers no atomic writer.");

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsInner)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
