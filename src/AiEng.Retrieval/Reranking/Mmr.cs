using System.Numerics.Tensors;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// Maximal marginal relevance (Carbonell and Goldstein, SIGIR 1998): picks results one at a time, each time the candidate
/// with the best trade-off between similarity to the query and dissimilarity to the results already picked, so that
/// near-duplicate passages do not crowd out other relevant ones.
/// </summary>
internal static class Mmr
{
    /// <summary>The default lambda: 0.5, relevance and diversity weighted equally.</summary>
    public const double DefaultLambda = 0.5;

    /// <summary>Selects up to <paramref name="top"/> candidates by maximal marginal relevance, using cosine similarity.</summary>
    /// <param name="query">The query embedding.</param>
    /// <param name="candidates">The candidate embeddings, each as long as <paramref name="query"/>.</param>
    /// <param name="top">The most candidates to select; at least 1.</param>
    /// <param name="lambda">The weight of relevance, 0 to 1: 1 ranks by similarity to the query only, 0 by diversity only. Default <see cref="DefaultLambda"/>.</param>
    /// <returns>The chosen candidates in the order chosen; equal scores go to the earlier candidate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="candidates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1, or <paramref name="lambda"/> is not between 0 and 1.</exception>
    /// <exception cref="ArgumentException">A candidate's length differs from the query's.</exception>
    public static IReadOnlyList<MmrSelection> Select(ReadOnlyMemory<float> query, IReadOnlyList<ReadOnlyMemory<float>> candidates, int top, double lambda = DefaultLambda)
    {
        Throw.IfNull(candidates);
        Throw.IfLessThan(top, 1);
        if (!(lambda >= 0 && lambda <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "Lambda must be between 0 (diversity only) and 1 (relevance only), for example 0.5.");
        }

        for (int i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Length != query.Length)
            {
                throw new ArgumentException($"The candidate at index {i} has {candidates[i].Length} dimensions but the query has {query.Length}; embed both with the same model.", nameof(candidates));
            }
        }

        int n = candidates.Count;
        var relevance = new double[n];
        var maxSimilarity = new double[n];
        var chosen = new bool[n];
        for (int i = 0; i < n; i++)
        {
            relevance[i] = Cosine(query.Span, candidates[i].Span);
            maxSimilarity[i] = double.NegativeInfinity;
        }

        var selections = new List<MmrSelection>(Math.Min(top, n));
        while (selections.Count < Math.Min(top, n))
        {
            int best = -1;
            double bestScore = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                if (chosen[i])
                {
                    continue;
                }

                double penalty = selections.Count == 0 ? 0 : maxSimilarity[i];
                double score = (lambda * relevance[i]) - ((1 - lambda) * penalty);
                if (best < 0 || score > bestScore)
                {
                    best = i;
                    bestScore = score;
                }
            }

            chosen[best] = true;
            selections.Add(new MmrSelection(best, bestScore));
            for (int i = 0; i < n; i++)
            {
                if (!chosen[i])
                {
                    maxSimilarity[i] = Math.Max(maxSimilarity[i], Cosine(candidates[i].Span, candidates[best].Span));
                }
            }
        }

        return selections;
    }

    /// <summary>Cosine similarity, 0 for a zero vector (where it is undefined).</summary>
    private static double Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.IsEmpty)
        {
            return 0;
        }

        float similarity = TensorPrimitives.CosineSimilarity(x, y);
        return float.IsFinite(similarity) ? similarity : 0;
    }
}
