using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
/// <para>
/// Metadata is kept in two portable fields, since MEVD records have a fixed schema and every connector stores strings and
/// lists of strings: <see cref="Metadata"/> holds all of it as a JSON object (document metadata overlaid by the chunk's,
/// for example a sentence window), and <see cref="Tags"/>, an indexed string list, holds one <c>"key=value"</c> entry per
/// <i>filterable</i> key, so that a filter on it is <c>Tags.Contains("tenant=a")</c>, which every connector translates.
/// </para>
/// </remarks>
public sealed class ChunkRecord
{
    /// <summary>The number of dimensions the attributes declare (all-MiniLM-L6-v2).</summary>
    public const int DefaultDimensions = 384;

    private List<string> _tags = [];

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

    /// <summary>Gets or sets the document title, if it has one. Full-text indexed with <see cref="Text"/>, as keyword retrieval indexes both.</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
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

    /// <summary>
    /// Gets or sets the metadata of the chunk as a JSON object of string values (<c>{"tenant":"a","window":"..."}</c>):
    /// the document's <see cref="Document.Metadata"/> overlaid by the chunk's <see cref="DocumentChunk.Metadata"/>, or
    /// <see langword="null"/> when there is none. Read and write it with <see cref="GetMetadata"/> and <see cref="SetMetadata"/>.
    /// </summary>
    [VectorStoreData]
    public string? Metadata { get; set; }

    /// <summary>
    /// Gets or sets the filter tags of the chunk: <see cref="CreateTag"/> (<c>"key=value"</c>) of each metadata key
    /// declared filterable. Never <see langword="null"/> (setting <see langword="null"/> stores an empty list).
    /// </summary>
    /// <remarks>
    /// An indexed list of strings, so a metadata filter is <c>record =&gt; record.Tags.Contains("tenant=a")</c> (any-of:
    /// an <c>||</c> of such terms), which every MEVD connector translates. <see cref="MetadataFilter"/> builds it.
    /// </remarks>
    [VectorStoreData(IsIndexed = true)]
    public List<string> Tags
    {
        get => _tags;
        set => _tags = value ?? [];
    }

    /// <summary>Gets or sets the chunk's embedding.</summary>
    [VectorStoreVector(DefaultDimensions, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Embedding { get; set; }

    /// <summary>Creates the filter tag of metadata key <paramref name="key"/> with <paramref name="value"/>: <c>"{key}={value}"</c>.</summary>
    /// <param name="key">The metadata key: not empty and without <c>=</c>, so that the tag splits back at its first <c>=</c>.</param>
    /// <param name="value">The value; any string.</param>
    /// <returns>The tag.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty, white space or contains <c>=</c>.</exception>
    public static string CreateTag(string key, string value)
    {
        CheckTagKey(key, nameof(key));
        Throw.IfNull(value);
        return key + "=" + value;
    }

    /// <summary>Reads <see cref="Metadata"/>.</summary>
    /// <returns>The metadata by key (ordinal); empty when <see cref="Metadata"/> is <see langword="null"/> or empty.</returns>
    /// <exception cref="FormatException"><see cref="Metadata"/> is not a JSON object of string values (the message names the record).</exception>
    public IReadOnlyDictionary<string, string> GetMetadata()
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(Metadata))
        {
            return metadata;
        }

        try
        {
            using var json = JsonDocument.Parse(Metadata);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"The metadata of chunk {ChunkIndex} of document '{DocumentId}' is JSON {json.RootElement.ValueKind}, not an object of strings.");
            }

            foreach (JsonProperty property in json.RootElement.EnumerateObject())
            {
                metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : throw new FormatException($"The metadata of chunk {ChunkIndex} of document '{DocumentId}' has a {property.Value.ValueKind} value for '{property.Name}'; values must be strings.");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The metadata of chunk {ChunkIndex} of document '{DocumentId}' is not valid JSON: {ex.Message}", ex);
        }

        return metadata;
    }

    /// <summary>Writes <paramref name="metadata"/> into <see cref="Metadata"/> as a JSON object, in the order given; <see langword="null"/> when it is empty.</summary>
    /// <param name="metadata">The metadata; <see langword="null"/> or empty clears it. A key given twice keeps its last value.</param>
    /// <exception cref="ArgumentNullException">A key or value is <see langword="null"/>.</exception>
    public void SetMetadata(IEnumerable<KeyValuePair<string, string>>? metadata)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (key, value) in metadata ?? [])
        {
            Throw.IfNull(key, nameof(metadata));
            Throw.IfNull(value, nameof(metadata));
            if (!values.ContainsKey(key))
            {
                order.Add(key);
            }

            values[key] = value;
        }

        if (order.Count == 0)
        {
            Metadata = null;
            return;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (string key in order)
            {
                writer.WriteString(key, values[key]);
            }

            writer.WriteEndObject();
        }

        Metadata = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

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
                new VectorStoreDataProperty(nameof(Title), typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreDataProperty(nameof(Source), typeof(string)),
                new VectorStoreDataProperty(nameof(StartOffset), typeof(int)),
                new VectorStoreDataProperty(nameof(EndOffset), typeof(int)),
                new VectorStoreDataProperty(nameof(HeadingPath), typeof(string)),
                new VectorStoreDataProperty(nameof(Page), typeof(int?)),
                new VectorStoreDataProperty(nameof(ContentHash), typeof(string)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(Metadata), typeof(string)),
                new VectorStoreDataProperty(nameof(Tags), typeof(List<string>)) { IsIndexed = true },
                new VectorStoreVectorProperty(nameof(Embedding), typeof(ReadOnlyMemory<float>), dimensions)
                {
                    DistanceFunction = DistanceFunction.CosineSimilarity,
                    IndexKind = indexKind,
                },
            ],
        };
    }

    /// <summary>Throws when <paramref name="key"/> cannot be a filterable metadata key.</summary>
    internal static void CheckTagKey(string key, string paramName)
    {
        Throw.IfNull(key, paramName);
        if (string.IsNullOrWhiteSpace(key) || key.Contains('=', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' cannot be a filterable metadata key: a key must be non-empty and must not contain '='.", paramName);
        }
    }
}
