namespace AiEng.Retrieval;

/// <summary>The distance functions AiEng's vector scans support (MEVD <c>DistanceFunction</c> names).</summary>
internal enum VectorMetric
{
    /// <summary>Cosine similarity, higher is better (the default).</summary>
    CosineSimilarity,

    /// <summary>1 - cosine similarity, lower is better.</summary>
    CosineDistance,

    /// <summary>Dot product, higher is better.</summary>
    DotProductSimilarity,

    /// <summary>Negated dot product, lower is better.</summary>
    NegativeDotProductSimilarity,

    /// <summary>Euclidean (L2) distance, lower is better.</summary>
    EuclideanDistance,

    /// <summary>Squared Euclidean distance, lower is better.</summary>
    EuclideanSquaredDistance,
}
