namespace AiEng.Retrieval;

/// <summary>How <see cref="HybridRetriever"/> merges the rankings of its retrievers.</summary>
public enum FusionMethod
{
    /// <summary>Reciprocal-rank fusion (<see cref="ReciprocalRankFusion"/>): uses ranks only, needs no score calibration. The default.</summary>
    ReciprocalRank,

    /// <summary>Min-max normalised weighted score fusion (<see cref="NormalizedScoreFusion"/>): keeps how far apart scores are within each list.</summary>
    NormalizedScore,
}
