using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>
/// Chooses the passages of adapter training examples from rankings: hard negatives for judged queries, and pseudo-labels
/// from a stronger teacher retriever for queries nobody judged (distillation).
/// </summary>
public static class EmbeddingAdapterLabels
{
    /// <summary>
    /// Returns the highest-ranked passages that are not judged relevant: the negatives that teach an adapter the most, because
    /// the base model confuses them with the relevant ones.
    /// </summary>
    /// <param name="ranking">Passage ids, best first, as a retriever (the base model's dense search, or a hybrid one) ranked them for the query.</param>
    /// <param name="relevant">The ids of the passages judged relevant to the query.</param>
    /// <param name="count">How many negatives to return at most.</param>
    /// <param name="skip">How many of the top non-relevant passages to pass over first (unjudged relevant passages tend to rank at the very top); default 0.</param>
    /// <returns>Up to <paramref name="count"/> ids, in ranking order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ranking"/> or <paramref name="relevant"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="skip"/> is negative.</exception>
    public static IReadOnlyList<string> MineHardNegatives(IEnumerable<string> ranking, IEnumerable<string> relevant, int count, int skip = 0)
    {
        Throw.IfNull(ranking);
        Throw.IfNull(relevant);
        Throw.IfLessThan(count, 0);
        Throw.IfLessThan(skip, 0);
        var judged = new HashSet<string>(relevant, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var negatives = new List<string>(count);
        foreach (string id in ranking)
        {
            if (negatives.Count == count)
            {
                break;
            }

            if (judged.Contains(id) || !seen.Add(id))
            {
                continue;
            }

            if (skip > 0)
            {
                skip--;
                continue;
            }

            negatives.Add(id);
        }

        return negatives;
    }

    /// <summary>
    /// Labels a query that nobody judged from a teacher retriever's ranking: its top <paramref name="positives"/> passages are
    /// taken as relevant, and <paramref name="negatives"/> passages from rank <paramref name="negativesFrom"/> on as hard
    /// negatives (the ranks between are left out: a teacher's second and third choices are often relevant too).
    /// </summary>
    /// <param name="teacherRanking">Passage ids, best first, as the teacher ranked them (for example AiEng's hybrid retriever).</param>
    /// <param name="positives">How many top passages to take as relevant; default 1.</param>
    /// <param name="negativesFrom">The 0-based rank of the first hard negative; default 10. At least <paramref name="positives"/>.</param>
    /// <param name="negatives">How many hard negatives to take; default 8.</param>
    /// <returns>The pseudo-label; empty when the ranking is empty.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="teacherRanking"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="positives"/> is less than 1, <paramref name="negatives"/> is negative, or <paramref name="negativesFrom"/> is less than <paramref name="positives"/>.
    /// </exception>
    public static EmbeddingAdapterPseudoLabel PseudoLabel(IReadOnlyList<string> teacherRanking, int positives = 1, int negativesFrom = 10, int negatives = 8)
    {
        Throw.IfNull(teacherRanking);
        Throw.IfLessThan(positives, 1);
        Throw.IfLessThan(negatives, 0);
        Throw.IfLessThan(negativesFrom, positives);
        string[] distinct = [.. teacherRanking.Distinct(StringComparer.Ordinal)];
        return new EmbeddingAdapterPseudoLabel(
            [.. distinct.Take(positives)],
            [.. distinct.Skip(negativesFrom).Take(negatives)]);
    }
}
