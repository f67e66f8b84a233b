namespace AiEng.Retrieval;

/// <summary>The pgvector column type a collection stores its vectors in.</summary>
public enum PostgresVectorType
{
    /// <summary><c>vector(n)</c>: 4-byte floats, up to 2,000 dimensions in an HNSW or IVFFlat index (the default).</summary>
    Vector,

    /// <summary>
    /// <c>halfvec(n)</c>: 2-byte floats, half the space, up to 4,000 dimensions in an index; values are rounded to half
    /// precision and must lie within ±65,504. Records keep float vectors; the store converts.
    /// </summary>
    HalfVector,
}
