using System.Linq.Expressions;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Stores chunks as an application's own record type <typeparamref name="TRecord"/> instead of <see cref="ChunkRecord"/>:
/// typed, natively indexed fields (a tenant column, an access list), or an index schema that exists already. Register it
/// with <c>AddRetrieval(mapper)</c>, or wrap a collection with <see cref="MapCollection"/>; ingestion, every retriever,
/// packing and citations keep working on <see cref="ChunkRecord"/>s.
/// </summary>
/// <typeparam name="TRecord">The stored record type, keyed by <see cref="Guid"/> (<see cref="ChunkRecord.CreateKey"/>).</typeparam>
/// <remarks>
/// <para>
/// The mapper converts records both ways (<see cref="ToRecord"/> at ingestion, <see cref="ToChunk"/> when reading) and
/// translates the filters AiEng sends, member by member: <see cref="MapProperty"/> names the member of
/// <typeparamref name="TRecord"/> that holds a <see cref="ChunkRecord"/> property, and <see cref="MapTag"/> may turn a
/// metadata condition (<c>Tags.Contains("tenant=acme")</c>) into a condition on a typed field
/// (<c>record =&gt; record.Tenant == "acme"</c>). A filter on a property that is not mapped fails with a
/// <see cref="NotSupportedException"/> naming it, never silently.
/// </para>
/// <para>
/// Ingestion needs <see cref="ChunkRecord.DocumentId"/> and <see cref="ChunkRecord.ChunkIndex"/> mapped (it filters on
/// them to find, replace and delete a document's chunks); <see cref="ToChunk"/> must give back the key, document id,
/// index, text, offsets and <see cref="ChunkRecord.ContentHash"/> (for change detection), and the
/// <see cref="ChunkRecord.Tags"/> of the filterable fields (the keyword side checks metadata filters on them).
/// </para>
/// </remarks>
public abstract class ChunkRecordMapper<TRecord>
    where TRecord : class
{
    /// <summary>
    /// Creates the collection definition of <typeparamref name="TRecord"/> for embeddings of <paramref name="dimensions"/>
    /// dimensions, or returns <see langword="null"/> (the default) to use the MEVD attributes of the type.
    /// </summary>
    /// <param name="dimensions">The embedding size.</param>
    /// <returns>The definition, or <see langword="null"/>.</returns>
    public virtual VectorStoreCollectionDefinition? CreateDefinition(int dimensions) => null;

    /// <summary>Creates the record to store for <paramref name="chunk"/>; its key must be <paramref name="chunk"/>'s <see cref="ChunkRecord.Key"/>.</summary>
    /// <param name="chunk">The chunk, with its metadata, tags and embedding.</param>
    /// <returns>The record.</returns>
    public abstract TRecord ToRecord(ChunkRecord chunk);

    /// <summary>Reads a stored record back as a chunk.</summary>
    /// <param name="record">The stored record (without its vector unless it was asked for).</param>
    /// <returns>The chunk.</returns>
    public abstract ChunkRecord ToChunk(TRecord record);

    /// <summary>
    /// Returns the member of <typeparamref name="TRecord"/> that stores the <see cref="ChunkRecord"/> property
    /// <paramref name="chunkProperty"/>, as a lambda of the same value type (for example
    /// <c>Member(record =&gt; record.DocId)</c> for <c>DocumentId</c>), or <see langword="null"/> when it is not stored.
    /// </summary>
    /// <param name="chunkProperty">The name of a property of <see cref="ChunkRecord"/>.</param>
    /// <returns>The lambda, or <see langword="null"/>.</returns>
    public abstract LambdaExpression? MapProperty(string chunkProperty);

    /// <summary>
    /// Returns a condition on <typeparamref name="TRecord"/> equivalent to "the chunk's metadata key <paramref name="key"/>
    /// is <paramref name="value"/>" (the tag test <c>Tags.Contains("key=value")</c>), or <see langword="null"/> (the
    /// default) to test the tag on the member <see cref="MapProperty"/> gives for <see cref="ChunkRecord.Tags"/>.
    /// </summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    /// <returns>The condition, or <see langword="null"/>.</returns>
    public virtual Expression<Func<TRecord, bool>>? MapTag(string key, string value) => null;

    /// <summary>Presents <paramref name="collection"/> of <typeparamref name="TRecord"/>s as a collection of <see cref="ChunkRecord"/>s through this mapper.</summary>
    /// <param name="collection">The collection of stored records.</param>
    /// <returns>
    /// A collection of <see cref="ChunkRecord"/>s to give to a <see cref="DocumentIngestor"/> or a retriever; it offers an
    /// <see cref="IAtomicRecordWriter{TKey, TRecord}"/> when <paramref name="collection"/> does. Disposing it does not
    /// dispose <paramref name="collection"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> is <see langword="null"/>.</exception>
    public VectorStoreCollection<Guid, ChunkRecord> MapCollection(VectorStoreCollection<Guid, TRecord> collection) =>
        new MappedChunkCollection<TRecord>(collection, this, ownsInner: false);

    /// <summary>Returns <paramref name="member"/>: a typed way to write the lambdas of <see cref="MapProperty"/>.</summary>
    /// <typeparam name="TValue">The value type of the member.</typeparam>
    /// <param name="member">A lambda that reads the member, for example <c>record =&gt; record.DocId</c>.</param>
    /// <returns><paramref name="member"/>.</returns>
    protected static LambdaExpression Member<TValue>(Expression<Func<TRecord, TValue>> member) => member;
}
