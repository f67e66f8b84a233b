using System.Numerics.Tensors;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Maps MEVD distance function names to <see cref="VectorMetric"/> and internal scan scores to public scores. Scans rank by
/// an internal score where higher is always better: the cosine, the dot product, or the negated squared distance.
/// </summary>
/// <remarks>
/// <para>
/// Part of the store kernel shared by every AiEng store (compiled into each package from <c>src/Shared/VectorData</c>),
/// so the in-memory stores and <c>AiEng.Sqlite</c> rank and score identically.
/// </para>
/// <para>
/// Zero, NaN and infinity (docs/retrieval.md, section "Stores", item "Zero, NaN and infinite values"): a vector holding NaN or an infinity is rejected at upsert
/// and at search (<see cref="CheckFinite"/>); the cosine of a zero vector (record or query) is 0, never NaN, because a
/// zero row's inverse norm is 0 and a zero query is left unnormalised; a NaN internal score is never returned
/// (<see cref="TopKHeap"/> drops it).
/// </para>
/// </remarks>
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

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when <paramref name="vector"/> holds a NaN or an infinity, naming
    /// <paramref name="what"/>, the vector property and the position of the first such value.
    /// </summary>
    /// <param name="model">The record model, for the property name.</param>
    /// <param name="vector">The vector to check.</param>
    /// <param name="what">What the vector belongs to, for the message (for example "record 'doc#1'" or "the search vector").</param>
    /// <param name="paramName">The argument to blame.</param>
    public static void CheckFinite(RecordModel model, ReadOnlySpan<float> vector, string what, string paramName)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw new ArgumentException(
                    $"The vector of {what} holds {Describe(vector[i])} at index {i} (property '{model.Vector.Name}' of '{model.RecordType.Name}'); "
                    + "vector stores accept only finite values. Nothing was written or searched.",
                    paramName);
            }
        }
    }

    /// <summary>Returns the inverse L2 norm of <paramref name="vector"/>: 0 for a zero vector (or one whose norm overflows), so its cosine is 0.</summary>
    public static float InverseNorm(ReadOnlySpan<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        return norm > 0 && float.IsFinite(norm) ? 1f / norm : 0f;
    }

    /// <summary>
    /// Copies <paramref name="query"/> into <paramref name="destination"/>, normalised for cosine metrics (a zero query
    /// stays zero, so every cosine with it is 0), and returns it.
    /// </summary>
    public static ReadOnlySpan<float> PrepareQuery(VectorMetric metric, ReadOnlySpan<float> query, Span<float> destination)
    {
        query.CopyTo(destination);
        if (IsCosine(metric))
        {
            float norm = TensorPrimitives.Norm(query);
            if (norm > 0)
            {
                TensorPrimitives.Divide(destination, norm, destination);
            }
        }

        return destination;
    }

    /// <summary>
    /// Returns the internal (higher is better) score of <paramref name="row"/> for a query prepared by
    /// <see cref="PrepareQuery"/>: for cosine metrics the dot product times the row's <see cref="InverseNorm"/>.
    /// Stores that keep each row's inverse norm (the in-memory matrix) score blocks with <c>VectorKernels</c> instead.
    /// </summary>
    public static float Score(VectorMetric metric, ReadOnlySpan<float> prepared, ReadOnlySpan<float> row)
    {
        if (IsEuclidean(metric))
        {
            float distance = TensorPrimitives.Distance(row, prepared);
            return -(distance * distance);
        }

        float dot = TensorPrimitives.Dot(row, prepared);
        return IsCosine(metric) ? dot * InverseNorm(row) : dot;
    }

    private static string Describe(float value) =>
        float.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";
}
