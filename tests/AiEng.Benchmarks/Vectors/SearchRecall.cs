namespace AiEng.Benchmarks.Vectors;

/// <summary>Recall of an approximate search against the exact top-k (the store's exact scan is the one ground truth).</summary>
internal static class SearchRecall
{
    /// <summary>The mean share of each query's exact top-k found among <paramref name="found"/>.</summary>
    /// <param name="truth">The exact top-k ids of every query.</param>
    /// <param name="found">The ids the approximate search returned for every query.</param>
    public static double Mean(int[][] truth, IReadOnlyList<IReadOnlyCollection<int>> found)
    {
        double sum = 0;
        for (int q = 0; q < truth.Length; q++)
        {
            sum += (double)truth[q].Count(found[q].Contains) / truth[q].Length;
        }

        return sum / truth.Length;
    }
}
