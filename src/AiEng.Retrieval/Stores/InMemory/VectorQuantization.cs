namespace AiEng.Retrieval;

/// <summary>How the in-memory store compresses vectors for its scan.</summary>
public enum VectorQuantization
{
    /// <summary>No quantisation: an exact scan of the float32 vectors.</summary>
    None,

    /// <summary>
    /// Symmetric int8 scalar quantisation with one scale per vector: the scan reads a quarter of the bytes, then the best
    /// <c>top * RescoreMultiplier</c> candidates are re-ranked by their exact float32 score. Costs one byte per dimension
    /// per vector on top of the float32 vectors (which are kept for rescoring and for returning vectors).
    /// </summary>
    Int8,
}
