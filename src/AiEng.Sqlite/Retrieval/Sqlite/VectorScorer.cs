using System.Numerics.Tensors;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>Scores a stored vector against a query with SIMD (<see cref="TensorPrimitives"/>) for one distance function.</summary>
internal sealed class VectorScorer
{
    private readonly Func<ReadOnlySpan<float>, ReadOnlySpan<float>, float> _score;

    private VectorScorer(Func<ReadOnlySpan<float>, ReadOnlySpan<float>, float> score, bool higherIsBetter)
    {
        _score = score;
        HigherIsBetter = higherIsBetter;
    }

    /// <summary>Gets the distance functions the store supports.</summary>
    public static IReadOnlyList<string> SupportedFunctions { get; } =
    [
        DistanceFunction.CosineSimilarity,
        DistanceFunction.CosineDistance,
        DistanceFunction.DotProductSimilarity,
        DistanceFunction.NegativeDotProductSimilarity,
        DistanceFunction.EuclideanDistance,
        DistanceFunction.EuclideanSquaredDistance,
    ];

    /// <summary>Gets a value indicating whether a higher score ranks first (similarities) or a lower one (distances).</summary>
    public bool HigherIsBetter { get; }

    /// <summary>Gets a value indicating whether <paramref name="distanceFunction"/> is supported.</summary>
    public static bool IsSupported(string distanceFunction) => SupportedFunctions.Contains(distanceFunction, StringComparer.Ordinal);

    /// <summary>Creates the scorer of <paramref name="distanceFunction"/>.</summary>
    public static VectorScorer Create(string distanceFunction) => distanceFunction switch
    {
        DistanceFunction.CosineSimilarity => new(static (q, v) => TensorPrimitives.CosineSimilarity(q, v), higherIsBetter: true),
        DistanceFunction.CosineDistance => new(static (q, v) => 1f - TensorPrimitives.CosineSimilarity(q, v), higherIsBetter: false),
        DistanceFunction.DotProductSimilarity => new(static (q, v) => TensorPrimitives.Dot(q, v), higherIsBetter: true),
        DistanceFunction.NegativeDotProductSimilarity => new(static (q, v) => -TensorPrimitives.Dot(q, v), higherIsBetter: false),
        DistanceFunction.EuclideanDistance => new(static (q, v) => TensorPrimitives.Distance(q, v), higherIsBetter: false),
        DistanceFunction.EuclideanSquaredDistance => new(static (q, v) => Squared(TensorPrimitives.Distance(q, v)), higherIsBetter: false),
        _ => throw new NotSupportedException($"The distance function '{distanceFunction}' is not supported."),
    };

    /// <summary>Scores <paramref name="vector"/> against <paramref name="query"/>; an undefined score (NaN, e.g. the cosine of a zero vector) ranks last.</summary>
    public double Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector)
    {
        double score = _score(query, vector);
        return double.IsNaN(score) ? (HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity) : score;
    }

    /// <summary>Gets a value indicating whether <paramref name="score"/> passes <paramref name="threshold"/>.</summary>
    public bool Passes(double score, double? threshold) => threshold is not { } t || (HigherIsBetter ? score >= t : score <= t);

    /// <summary>Compares two scores: negative when <paramref name="a"/> ranks before <paramref name="b"/>.</summary>
    public int CompareRank(double a, double b) => HigherIsBetter ? b.CompareTo(a) : a.CompareTo(b);

    private static float Squared(float value) => value * value;
}
