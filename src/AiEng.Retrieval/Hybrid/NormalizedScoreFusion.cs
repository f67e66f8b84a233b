using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// Weighted score fusion with min-max normalisation: each list's scores are rescaled to 0..1 (best = 1, worst = 0),
/// then a document's fused score is the weighted sum of its normalised scores; a list that does not contain the document
/// contributes 0. Unlike <see cref="ReciprocalRankFusion"/> it keeps how far apart the scores within a list are.
/// </summary>
internal static class NormalizedScoreFusion
{
    /// <summary>Fuses scored lists.</summary>
    /// <param name="lists">The lists (any order); a document repeated within one list counts with its highest score only.</param>
    /// <param name="weights">One weight per list, each zero or positive, for example 0.5 and 0.5.</param>
    /// <returns>Every document of any list once, by fused score descending, equal scores by id (ordinal).</returns>
    /// <remarks>A list whose scores are all equal normalises every score to 1.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="lists"/>, one of its lists or <paramref name="weights"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The number of weights differs from the number of lists, or a weight is negative or not finite.</exception>
    public static IReadOnlyList<SearchHit> Fuse(IReadOnlyList<IReadOnlyList<SearchHit>> lists, IReadOnlyList<double> weights)
    {
        Throw.IfNull(lists);
        Throw.IfNull(weights);
        if (lists.Count != weights.Count)
        {
            throw new ArgumentException($"There are {lists.Count} lists but {weights.Count} weights; give one weight per list.", nameof(weights));
        }

        var fused = new Dictionary<string, double>(StringComparer.Ordinal);
        var best = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int l = 0; l < lists.Count; l++)
        {
            var list = Throw.IfNull(lists[l]);
            double weight = weights[l];
            if (!double.IsFinite(weight) || weight < 0)
            {
                throw new ArgumentException($"The weight at index {l} is {weight}; weights must be zero or positive and finite.", nameof(weights));
            }

            best.Clear();
            foreach (var hit in list)
            {
                if (!best.TryGetValue(hit.Id, out double score) || hit.Score > score)
                {
                    best[hit.Id] = hit.Score;
                }
            }

            if (best.Count == 0)
            {
                continue;
            }

            double min = best.Values.Min();
            double range = best.Values.Max() - min;
            foreach (var (id, score) in best)
            {
                double normalized = range > 0 ? (score - min) / range : 1;
                fused[id] = fused.GetValueOrDefault(id) + (weight * normalized);
            }
        }

        return FusedHits.Sort(fused);
    }
}
