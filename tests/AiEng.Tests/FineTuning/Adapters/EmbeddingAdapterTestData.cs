using AiEng.FineTuning;

namespace AiEng.Tests.FineTuning.Adapters;

/// <summary>Small seeded vectors and examples for the adapter tests.</summary>
internal static class EmbeddingAdapterTestData
{
    public const string Model = "test-embeddings";

    public static float[] UnitVector(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        float norm = MathF.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v / norm)];
    }

    /// <summary>
    /// A task the base model gets wrong: each passage's vector is its query's vector with the coordinates rotated by one, so
    /// a query's nearest passage is rarely its own until an adapter learns the rotation.
    /// </summary>
    public static (float[][] Queries, float[][] Passages) RotationTask(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        float[][] queries = [.. Enumerable.Range(0, count).Select(_ => UnitVector(random, dimensions))];
        float[][] passages = [.. queries.Select(q => Enumerable.Range(0, dimensions).Select(i => q[(i + 1) % dimensions]).ToArray())];
        return (queries, passages);
    }

    /// <summary>Examples of the rotation task: each query with its passage, and the next two passages as hard negatives.</summary>
    public static EmbeddingAdapterExample[] RotationExamples(float[][] queries, float[][] passages) =>
        [.. queries.Select((q, i) => new EmbeddingAdapterExample(q, passages[i], [passages[(i + 1) % passages.Length], passages[(i + 2) % passages.Length]]) { Group = "q" + i })];

    /// <summary>The share of queries whose own passage is the most similar of all passages after <paramref name="adapter"/>.</summary>
    public static double TopOneAccuracy(EmbeddingAdapter? adapter, float[][] queries, float[][] passages)
    {
        int correct = 0;
        for (int i = 0; i < queries.Length; i++)
        {
            float[] query = adapter?.Transform(queries[i]) ?? queries[i];
            int best = Enumerable.Range(0, passages.Length).MaxBy(j => Dot(query, passages[j]));
            correct += best == i ? 1 : 0;
        }

        return (double)correct / queries.Length;
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
