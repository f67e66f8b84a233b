using Microsoft.Extensions.VectorData;

namespace AiEng.VectorData.ConformanceTests;

/// <summary>
/// An application's own chunk record, for the mapped runs of the suites: other property names than
/// <see cref="Retrieval.ChunkRecord"/>, and the tenant and group as typed, indexed fields instead of tags
/// (<see cref="TenantChunkMapper"/>).
/// </summary>
public sealed class TenantChunk
{
    /// <summary>Gets or sets the key (<see cref="Retrieval.ChunkRecord.CreateKey"/>).</summary>
    [VectorStoreKey]
    public Guid Id { get; set; }

    /// <summary>Gets or sets the document id.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string Document { get; set; } = string.Empty;

    /// <summary>Gets or sets the chunk index.</summary>
    [VectorStoreData]
    public int Position { get; set; }

    /// <summary>Gets or sets the chunk text.</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
    public string Body { get; set; } = string.Empty;

    /// <summary>Gets or sets the document title.</summary>
    [VectorStoreData]
    public string? Title { get; set; }

    /// <summary>Gets or sets the document source.</summary>
    [VectorStoreData]
    public string? Source { get; set; }

    /// <summary>Gets or sets the start offset.</summary>
    [VectorStoreData]
    public int Start { get; set; }

    /// <summary>Gets or sets the end offset.</summary>
    [VectorStoreData]
    public int End { get; set; }

    /// <summary>Gets or sets the document's content hash.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string Hash { get; set; } = string.Empty;

    /// <summary>Gets or sets the metadata JSON.</summary>
    [VectorStoreData]
    public string? Metadata { get; set; }

    /// <summary>Gets or sets the tenant, from the metadata key <c>tenant</c>.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string? Tenant { get; set; }

    /// <summary>Gets or sets the access group, from the metadata key <c>group</c>.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string? Group { get; set; }

    /// <summary>Gets or sets the embedding.</summary>
    [VectorStoreVector(64)]
    public ReadOnlyMemory<float> Vector { get; set; }
}
