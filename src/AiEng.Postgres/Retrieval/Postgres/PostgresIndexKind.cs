namespace AiEng.Retrieval;

/// <summary>The vector index a collection gets.</summary>
public enum PostgresIndexKind
{
    /// <summary>No vector index: every search is an exact scan of the filtered rows (perfect recall; the default).</summary>
    Flat,

    /// <summary>
    /// An HNSW index (<c>USING hnsw</c>), built with <see cref="PostgresVectorStoreOptions.HnswM"/> and
    /// <see cref="PostgresVectorStoreOptions.HnswEfConstruction"/>, searched with <see cref="PostgresVectorStoreOptions.HnswEfSearch"/>.
    /// </summary>
    Hnsw,

    /// <summary>
    /// An IVFFlat index (<c>USING ivfflat</c>), built with <see cref="PostgresVectorStoreOptions.IvfFlatLists"/> and searched
    /// with <see cref="PostgresVectorStoreOptions.IvfFlatProbes"/>. Build it after loading data: its lists are chosen from
    /// the rows present when it is created.
    /// </summary>
    IvfFlat,
}
