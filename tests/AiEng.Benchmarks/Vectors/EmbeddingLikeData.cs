using System.Numerics.Tensors;

namespace AiEng.Benchmarks.Vectors;

/// <summary>
/// Seeded, embedding-like vectors for the vector-search benchmarks: <c>clusters</c> random unit centres, each point its
/// centre plus Gaussian noise, normalised. The noise sigma is <c>sqrt(1.04 / dim)</c>, which puts the expected cosine
/// between a point and its centre at about 0.7 (|c + n|^2 ~ 1 + sigma^2 * dim = 2.04, and 1 / sqrt(2.04) ~ 0.70).
/// </summary>
internal sealed class EmbeddingLikeData
{
    private EmbeddingLikeData(int dimensions, float[] points, float[] queries)
    {
        Dimensions = dimensions;
        Points = points;
        Queries = queries;
    }

    /// <summary>Gets the number of dimensions of every vector.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the points, row-major, <c>Count * Dimensions</c> floats, each row of unit length.</summary>
    public float[] Points { get; }

    /// <summary>Gets the queries, row-major, drawn the same way as the points.</summary>
    public float[] Queries { get; }

    /// <summary>Gets the number of points.</summary>
    public int Count => Points.Length / Dimensions;

    /// <summary>Gets the number of queries.</summary>
    public int QueryCount => Queries.Length / Dimensions;

    /// <summary>Gets point <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Point(int index) => Points.AsSpan(index * Dimensions, Dimensions);

    /// <summary>Gets query <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Query(int index) => Queries.AsSpan(index * Dimensions, Dimensions);

    /// <summary>Generates <paramref name="count"/> points and <paramref name="queryCount"/> queries.</summary>
    public static EmbeddingLikeData Generate(int count, int dimensions, int queryCount = 1000, int clusters = 1000, int seed = 42)
    {
        var random = new Random(seed);
        var centres = new float[clusters * dimensions];
        for (int c = 0; c < clusters; c++)
        {
            var centre = centres.AsSpan(c * dimensions, dimensions);
            for (int d = 0; d < dimensions; d++)
            {
                centre[d] = (float)NextGaussian(random);
            }

            Normalize(centre);
        }

        float sigma = (float)Math.Sqrt(1.04 / dimensions);
        return new EmbeddingLikeData(dimensions, Draw(count), Draw(queryCount));

        float[] Draw(int n)
        {
            var rows = new float[(long)n * dimensions];
            for (int i = 0; i < n; i++)
            {
                var centre = centres.AsSpan(random.Next(clusters) * dimensions, dimensions);
                var row = rows.AsSpan(i * dimensions, dimensions);
                for (int d = 0; d < dimensions; d++)
                {
                    row[d] = centre[d] + (sigma * (float)NextGaussian(random));
                }

                Normalize(row);
            }

            return rows;
        }
    }

    private static void Normalize(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Divide(vector, norm, vector);
    }

    // Box-Muller: two uniforms to one standard normal.
    private static double NextGaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
