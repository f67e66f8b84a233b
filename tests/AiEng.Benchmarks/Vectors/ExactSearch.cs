using System.Numerics.Tensors;

namespace AiEng.Benchmarks.Vectors;

/// <summary>Exact top-k by inner product over row-major unit vectors: one <see cref="TensorPrimitives.Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> per row and a sorted top-k buffer.</summary>
internal static class ExactSearch
{
    /// <summary>Returns the ids of the <paramref name="k"/> rows with the largest inner product with <paramref name="query"/>, best first (equal scores: lower id first).</summary>
    public static int[] TopK(EmbeddingLikeData data, ReadOnlySpan<float> query, int k)
    {
        k = Math.Min(k, data.Count);
        var ids = new int[k];
        var scores = new float[k];
        int size = 0;
        for (int row = 0; row < data.Count; row++)
        {
            float score = TensorPrimitives.Dot(query, data.Point(row));
            if (size == k && score <= scores[k - 1])
            {
                continue;
            }

            int i = size < k ? size++ : k - 1;
            while (i > 0 && scores[i - 1] < score)
            {
                scores[i] = scores[i - 1];
                ids[i] = ids[i - 1];
                i--;
            }

            scores[i] = score;
            ids[i] = row;
        }

        return ids;
    }

    /// <summary>The exact top-<paramref name="k"/> of every query, computed on all cores.</summary>
    public static int[][] GroundTruth(EmbeddingLikeData data, int k)
    {
        var truth = new int[data.QueryCount][];
        Parallel.For(0, data.QueryCount, q => truth[q] = TopK(data, data.Query(q), k));
        return truth;
    }

    /// <summary>The mean share of each query's exact top-k found among <paramref name="found"/>.</summary>
    public static double Recall(int[][] truth, IReadOnlyList<IReadOnlyCollection<int>> found)
    {
        double sum = 0;
        for (int q = 0; q < truth.Length; q++)
        {
            sum += (double)truth[q].Count(found[q].Contains) / truth[q].Length;
        }

        return sum / truth.Length;
    }
}
