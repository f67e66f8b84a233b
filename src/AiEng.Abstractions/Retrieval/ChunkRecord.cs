using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AiEng.Shared;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// The record AiEng stores for one chunk of a document in a vector store collection: the chunk's text, where it came
/// from (for citations) and its embedding.
/// </summary>
/// <remarks>
/// <para>
/// The attributes describe a 384-dimension cosine vector, the size of the embedded all-MiniLM-L6-v2 model. For any other
/// embedding model pass <see cref="CreateDefinition(int, string?)"/> to <c>VectorStore.GetCollection</c>, which sets the
/// dimension at run time.
/// </para>
/// <para>
/// Every chunk of a document carries the document's <see cref="ContentHash"/>, so ingestion can tell an unchanged
/// document from a changed one by reading any one of its chunks.
/// </para>
/// <para>
/// The key is a <see cref="Guid"/> derived from the document id and chunk index (<see cref="CreateKey(string, int)"/>), the
/// key type every common MEVD connector accepts (Qdrant takes only <see cref="Guid"/> or <see cref="ulong"/> keys, Azure
/// AI Search <see cref="string"/> or <see cref="Guid"/>, PostgreSQL <see cref="Guid"/> among others); the document id is
/// kept in its own indexed field, <see cref="DocumentId"/>, which ingestion filters on.
/// </para>
/// </remarks>
public sealed class ChunkRecord
{
    /// <summary>The number of dimensions the attributes declare (all-MiniLM-L6-v2).</summary>
    public const int DefaultDimensions = 384;

    /// <summary>Gets or sets the record key: <see cref="CreateKey(string, int)"/> of the document id and chunk index.</summary>
    [VectorStoreKey]
    public Guid Key { get; set; }

    /// <summary>Gets or sets the id of the document the chunk belongs to.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string DocumentId { get; set; } = string.Empty;

    /// <summary>Gets or sets the zero-based position of the chunk in its document.</summary>
    [VectorStoreData]
    public int ChunkIndex { get; set; }

    /// <summary>Gets or sets the chunk text, including any heading prefix the chunker added.</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = string.Empty;

    /// <summary>Gets or sets the document title, if it has one.</summary>
    [VectorStoreData]
    public string? Title { get; set; }

    /// <summary>Gets or sets where the document came from (a path or URL), if known.</summary>
    [VectorStoreData]
    public string? Source { get; set; }

    /// <summary>Gets or sets the offset in the document text, in UTF-16 code units, where the chunk's content starts.</summary>
    [VectorStoreData]
    public int StartOffset { get; set; }

    /// <summary>Gets or sets the offset in the document text, in UTF-16 code units, just past the chunk's content.</summary>
    [VectorStoreData]
    public int EndOffset { get; set; }

    /// <summary>Gets or sets the heading path of the chunk joined with <c>" &gt; "</c>, or <see langword="null"/>.</summary>
    [VectorStoreData]
    public string? HeadingPath { get; set; }

    /// <summary>Gets or sets the one-based page number the chunk starts on, for paged sources such as PDF.</summary>
    [VectorStoreData]
    public int? Page { get; set; }

    /// <summary>Gets or sets the content hash of the whole document the chunk was cut from (<see cref="Document.ContentHash"/>).</summary>
    [VectorStoreData(IsIndexed = true)]
    public string ContentHash { get; set; } = string.Empty;

    /// <summary>Gets or sets the chunk's embedding.</summary>
    [VectorStoreVector(DefaultDimensions, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Embedding { get; set; }

    /// <summary>
    /// Gets the namespace of the name-based keys <see cref="CreateKey(string, int)"/> creates:
    /// <c>62185415-1be3-4a66-82c6-c61203070ca4</c>.
    /// </summary>
    public static Guid KeyNamespace { get; } = new("62185415-1be3-4a66-82c6-c61203070ca4");

    /// <summary>Creates the key of the chunk at <paramref name="chunkIndex"/> in the document <paramref name="documentId"/>.</summary>
    /// <param name="documentId">The document id.</param>
    /// <param name="chunkIndex">The zero-based chunk index.</param>
    /// <returns>
    /// A name-based (version 5, SHA-1) UUID as RFC 9562 defines it, of the namespace <see cref="KeyNamespace"/> and the
    /// UTF-8 name <c>"{documentId}\n{chunkIndex}"</c> (the index in invariant decimal digits). The same document id and
    /// index always give the same key, on every machine and in every run, so re-ingesting a document overwrites its
    /// chunks; other languages compute it with their UUID v5 function (Python: <c>uuid.uuid5(namespace, name)</c>).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="documentId"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkIndex"/> is negative.</exception>
    /// <remarks>
    /// The name splits uniquely at its last line feed (the index has digits only), so two different (document id, index)
    /// pairs never share a name.
    /// </remarks>
    public static Guid CreateKey(string documentId, int chunkIndex)
    {
        _ = Throw.IfNullOrWhitespace(documentId);
        _ = Throw.IfLessThan(chunkIndex, 0);
        string name = string.Create(CultureInfo.InvariantCulture, $"{documentId}\n{chunkIndex}");
        int length = 16 + Encoding.UTF8.GetMaxByteCount(name.Length);
        byte[]? rented = length <= 512 ? null : ArrayPool<byte>.Shared.Rent(length);
        Span<byte> buffer = rented ?? stackalloc byte[length];
        try
        {
            _ = KeyNamespace.TryWriteBytes(buffer, bigEndian: true, out _);
            int written = 16 + Encoding.UTF8.GetBytes(name, buffer[16..]);
            Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];

            // SHA-1 as RFC 9562 prescribes for name-based version 5 UUIDs: an identifier, not a security measure.
#pragma warning disable CA5350
            _ = SHA1.HashData(buffer[..written], hash);
#pragma warning restore CA5350
            hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
            hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
            return new Guid(hash[..16], bigEndian: true);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Creates the collection definition of <see cref="ChunkRecord"/> for embeddings of <paramref name="dimensions"/>
    /// dimensions, compared by cosine similarity.
    /// </summary>
    /// <param name="dimensions">The embedding size of the model that fills the collection.</param>
    /// <param name="indexKind">The vector index kind (<see cref="IndexKind"/>), or <see langword="null"/> for the store's default.</param>
    /// <returns>A new definition.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is less than 1.</exception>
    public static VectorStoreCollectionDefinition CreateDefinition(int dimensions, string? indexKind = null)
    {
        _ = Throw.IfLessThan(dimensions, 1);
        return new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Key), typeof(Guid)),
                new VectorStoreDataProperty(nameof(DocumentId), typeof(string)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(ChunkIndex), typeof(int)),
                new VectorStoreDataProperty(nameof(Text), typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreDataProperty(nameof(Title), typeof(string)),
                new VectorStoreDataProperty(nameof(Source), typeof(string)),
                new VectorStoreDataProperty(nameof(StartOffset), typeof(int)),
                new VectorStoreDataProperty(nameof(EndOffset), typeof(int)),
                new VectorStoreDataProperty(nameof(HeadingPath), typeof(string)),
                new VectorStoreDataProperty(nameof(Page), typeof(int?)),
                new VectorStoreDataProperty(nameof(ContentHash), typeof(string)) { IsIndexed = true },
                new VectorStoreVectorProperty(nameof(Embedding), typeof(ReadOnlyMemory<float>), dimensions)
                {
                    DistanceFunction = DistanceFunction.CosineSimilarity,
                    IndexKind = indexKind,
                },
            ],
        };
    }
}
