namespace AiEng.Retrieval;

/// <summary>How <see cref="HybridRetriever"/> merges the rankings of its retrievers.</summary>
public enum FusionMethod
{
    /// <summary>Reciprocal-rank fusion (score 1 / (k + rank), summed over the lists): uses ranks only, needs no score calibration. The default.</summary>
    ReciprocalRank,

    /// <summary>Min-max normalised weighted score fusion (each list scaled to 0..1, then a weighted sum): keeps how far apart scores are within each list.</summary>
    NormalizedScore,
}
