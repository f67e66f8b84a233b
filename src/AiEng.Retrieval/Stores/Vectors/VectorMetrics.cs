using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Maps MEVD distance function names to <see cref="VectorMetric"/> and internal scan scores to public scores. Scans rank by
/// an internal score where higher is always better: the cosine, the dot product, or the negated squared distance.
/// </summary>
internal static class VectorMetrics
{
    /// <summary>Parses the distance function of <paramref name="model"/>'s vector property (<see langword="null"/> means cosine).</summary>
    /// <exception cref="NotSupportedException">The distance function is not supported; the message names the type and property.</exception>
    public static VectorMetric Parse(RecordModel model) => model.Vector.DistanceFunction switch
    {
        null or DistanceFunction.CosineSimilarity => VectorMetric.CosineSimilarity,
        DistanceFunction.CosineDistance => VectorMetric.CosineDistance,
        DistanceFunction.DotProductSimilarity => VectorMetric.DotProductSimilarity,
        DistanceFunction.NegativeDotProductSimilarity => VectorMetric.NegativeDotProductSimilarity,
        DistanceFunction.EuclideanDistance => VectorMetric.EuclideanDistance,
        DistanceFunction.EuclideanSquaredDistance => VectorMetric.EuclideanSquaredDistance,
        var other => throw new NotSupportedException(
            $"Record type '{model.RecordType.Name}': vector property '{model.Vector.Name}' uses distance function '{other}', which AiEng stores do not support "
            + "(use CosineSimilarity, CosineDistance, DotProductSimilarity, NegativeDotProductSimilarity, EuclideanDistance or EuclideanSquaredDistance)."),
    };

    /// <summary>Gets a value indicating whether the metric compares directions (the scan divides by the row norm).</summary>
    public static bool IsCosine(VectorMetric metric) => metric is VectorMetric.CosineSimilarity or VectorMetric.CosineDistance;

    /// <summary>Gets a value indicating whether the metric is a Euclidean distance.</summary>
    public static bool IsEuclidean(VectorMetric metric) => metric is VectorMetric.EuclideanDistance or VectorMetric.EuclideanSquaredDistance;

    /// <summary>Gets a value indicating whether a higher public score is better.</summary>
    public static bool HigherIsBetter(VectorMetric metric) => metric is VectorMetric.CosineSimilarity or VectorMetric.DotProductSimilarity;

    /// <summary>Converts an internal (higher is better) score to the public score of <paramref name="metric"/>.</summary>
    public static double ToScore(VectorMetric metric, float internalScore) => metric switch
    {
        VectorMetric.CosineDistance => 1.0 - internalScore,
        VectorMetric.NegativeDotProductSimilarity => -internalScore,
        VectorMetric.EuclideanDistance => Math.Sqrt(Math.Max(0, -internalScore)),
        VectorMetric.EuclideanSquaredDistance => Math.Max(0, -internalScore),
        _ => internalScore,
    };

    /// <summary>Gets a value indicating whether <paramref name="score"/> passes <paramref name="threshold"/> (at least for similarities, at most for distances).</summary>
    public static bool Passes(VectorMetric metric, double score, double? threshold) =>
        threshold is not { } limit || (HigherIsBetter(metric) ? score >= limit : score <= limit);
}
