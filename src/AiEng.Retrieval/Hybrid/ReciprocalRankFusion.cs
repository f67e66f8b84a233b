using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// Reciprocal-rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): merges ranked lists by giving each document the sum
/// over the lists of <c>1 / (k + rank)</c>, rank counted from 1. It needs no score calibration, only ranks.
/// </summary>
internal static class ReciprocalRankFusion
{
    /// <summary>The default k: 60, the value of the original paper, which damps the weight of the very first ranks.</summary>
    public const int DefaultK = 60;

    /// <summary>Fuses ranked lists.</summary>
    /// <param name="rankings">The lists, each best first; a document repeated within one list counts at its best rank only.</param>
    /// <param name="k">The rank offset; at least 1. Default <see cref="DefaultK"/>.</param>
    /// <returns>Every document of any list once, by fused score descending, equal scores by id (ordinal).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rankings"/> or one of its lists is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public static IReadOnlyList<SearchHit> Fuse(IEnumerable<IReadOnlyList<SearchHit>> rankings, int k = DefaultK)
    {
        Throw.IfNull(rankings);
        Throw.IfLessThan(k, 1);
        var fused = new Dictionary<string, double>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ranking in rankings)
        {
            Throw.IfNull(ranking);
            seen.Clear();
            for (int i = 0; i < ranking.Count; i++)
            {
                if (seen.Add(ranking[i].Id))
                {
                    fused[ranking[i].Id] = fused.GetValueOrDefault(ranking[i].Id) + (1.0 / (k + i + 1));
                }
            }
        }

        return FusedHits.Sort(fused);
    }
}
