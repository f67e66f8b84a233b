using AiEng.Retrieval;
using AiEng.Shared;

namespace AiEng.Evaluation;

/// <summary>
/// Information-retrieval metrics of one query's ranking against its relevance judgements (qrels), computed as
/// <c>trec_eval</c> 9.x (and so <c>pytrec_eval</c> and the BEIR toolkit) computes them.
/// </summary>
/// <remarks>
/// <para>
/// A ranking is a list of document ids, best first. <c>trec_eval</c> ignores the rank column of a run and orders each
/// query's documents itself by score descending, breaking ties by document id descending (byte-wise string comparison);
/// <see cref="RankAsTrecEval"/> does the same, so that ties are resolved exactly as in published evaluations.
/// </para>
/// <para>
/// Qrels map a document id to an integer relevance grade. A document is relevant when its grade is at least 1; grades of
/// 0 or below (judged non-relevant) and documents missing from the qrels count as not relevant. Graded metrics
/// (<see cref="NdcgAtK"/>) use the grade itself as the gain, as <c>trec_eval</c>'s <c>ndcg_cut</c> does ("gain values are
/// the relevance values in the qrels file"), not <c>2^grade - 1</c>; with binary qrels both are the same.
/// </para>
/// <para>
/// A ranking must not contain the same id twice (<c>trec_eval</c> rejects such runs). Every metric of a query without
/// relevant documents is 0; average the per-query values over all judged queries to get the usual means
/// (<c>trec_eval -c</c>, as BEIR reports them).
/// </para>
/// </remarks>
public static class RetrievalMetrics
{
    /// <summary>
    /// Orders hits as <c>trec_eval</c> does before it evaluates a run: by score descending, ties broken by id descending
    /// (ordinal comparison).
    /// </summary>
    /// <param name="hits">The hits of one query, in any order.</param>
    /// <returns>The ids, best first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hits"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> RankAsTrecEval(IEnumerable<SearchHit> hits)
    {
        Throw.IfNull(hits);
        var sorted = hits.ToArray();
        Array.Sort(sorted, static (x, y) =>
        {
            int byScore = y.Score.CompareTo(x.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(y.Id, x.Id);
        });
        return Array.ConvertAll(sorted, static hit => hit.Id);
    }

    /// <summary>
    /// Normalised discounted cumulative gain at <paramref name="k"/> (<c>trec_eval -m ndcg_cut.k</c>):
    /// DCG = sum over ranks r = 1..k of grade(r) / log2(r + 1), divided by the DCG of the ideal ranking, which orders all
    /// judged documents of the query by grade descending. This is the discount of <c>trec_eval</c> 9.x and pytrec_eval;
    /// older <c>trec_eval</c> releases (8.x) did not discount rank 2 (they divided by log2(rank) from rank 2 on).
    /// </summary>
    /// <param name="ranking">The ids, best first.</param>
    /// <param name="qrels">Relevance grades by document id.</param>
    /// <param name="k">The cutoff; at least 1.</param>
    /// <returns>A value between 0 and 1; 0 when the query has no relevant document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ranking"/> or <paramref name="qrels"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="ranking"/> contains an id twice.</exception>
    public static double NdcgAtK(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> qrels, int k)
    {
        int[] gains = Grades(ranking, qrels, k);
        double dcg = 0;
        for (int i = 0; i < gains.Length; i++)
        {
            if (gains[i] > 0)
            {
                dcg += gains[i] / Math.Log2(i + 2);
            }
        }

        int[] ideal = qrels.Values.Where(static grade => grade > 0).OrderDescending().Take(k).ToArray();
        double idealDcg = 0;
        for (int i = 0; i < ideal.Length; i++)
        {
            idealDcg += ideal[i] / Math.Log2(i + 2);
        }

        return idealDcg > 0 ? dcg / idealDcg : 0;
    }

    /// <summary>Recall at <paramref name="k"/> (<c>trec_eval -m recall.k</c>): relevant documents in the top k divided by all relevant documents of the query.</summary>
    /// <param name="ranking">The ids, best first.</param>
    /// <param name="qrels">Relevance grades by document id.</param>
    /// <param name="k">The cutoff; at least 1.</param>
    /// <returns>A value between 0 and 1; 0 when the query has no relevant document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ranking"/> or <paramref name="qrels"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="ranking"/> contains an id twice.</exception>
    public static double RecallAtK(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> qrels, int k)
    {
        int relevant = CountRelevant(Grades(ranking, qrels, k));
        int total = qrels.Values.Count(static grade => grade > 0);
        return total == 0 ? 0 : (double)relevant / total;
    }

    /// <summary>
    /// Precision at <paramref name="k"/> (<c>trec_eval -m P.k</c>): relevant documents in the top k divided by k, even when
    /// fewer than k documents were retrieved.
    /// </summary>
    /// <param name="ranking">The ids, best first.</param>
    /// <param name="qrels">Relevance grades by document id.</param>
    /// <param name="k">The cutoff; at least 1.</param>
    /// <returns>A value between 0 and 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ranking"/> or <paramref name="qrels"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="ranking"/> contains an id twice.</exception>
    public static double PrecisionAtK(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> qrels, int k) =>
        (double)CountRelevant(Grades(ranking, qrels, k)) / k;

    /// <summary>
    /// Reciprocal rank at <paramref name="k"/>: 1 / the rank of the first relevant document when it is within the top k,
    /// else 0 (<c>trec_eval -m recip_rank</c> on the run cut to k documents); its mean over queries is MRR@k.
    /// </summary>
    /// <param name="ranking">The ids, best first.</param>
    /// <param name="qrels">Relevance grades by document id.</param>
    /// <param name="k">The cutoff; at least 1.</param>
    /// <returns>A value between 0 and 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ranking"/> or <paramref name="qrels"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="ranking"/> contains an id twice.</exception>
    public static double ReciprocalRankAtK(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> qrels, int k)
    {
        int[] gains = Grades(ranking, qrels, k);
        int first = Array.FindIndex(gains, static grade => grade > 0);
        return first < 0 ? 0 : 1.0 / (first + 1);
    }

    /// <summary>
    /// Average precision of the whole ranking (<c>trec_eval -m map</c> per query): the sum of the precision at the rank of
    /// each relevant retrieved document, divided by all relevant documents of the query (retrieved or not). Its mean over
    /// queries is MAP.
    /// </summary>
    /// <param name="ranking">The ids, best first.</param>
    /// <param name="qrels">Relevance grades by document id.</param>
    /// <returns>A value between 0 and 1; 0 when the query has no relevant document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ranking"/> or <paramref name="qrels"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="ranking"/> contains an id twice.</exception>
    public static double AveragePrecision(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> qrels)
    {
        Throw.IfNull(ranking);
        int[] gains = Grades(ranking, qrels, Math.Max(1, ranking.Count));
        int total = qrels.Values.Count(static grade => grade > 0);
        if (total == 0)
        {
            return 0;
        }

        double sum = 0;
        int found = 0;
        for (int i = 0; i < gains.Length; i++)
        {
            if (gains[i] > 0)
            {
                found++;
                sum += (double)found / (i + 1);
            }
        }

        return sum / total;
    }

    /// <summary>Hit rate at <paramref name="k"/> (<c>trec_eval -m success.k</c>): 1 when at least one relevant document is in the top k, else 0.</summary>
    /// <param name="ranking">The ids, best first.</param>
    /// <param name="qrels">Relevance grades by document id.</param>
    /// <param name="k">The cutoff; at least 1.</param>
    /// <returns>1 or 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ranking"/> or <paramref name="qrels"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="ranking"/> contains an id twice.</exception>
    public static double HitRateAtK(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> qrels, int k) =>
        CountRelevant(Grades(ranking, qrels, k)) > 0 ? 1 : 0;

    /// <summary>
    /// Every metric of one query for several cutoffs in one pass over the ranking (same definitions as the public
    /// methods): per cutoff recall, precision, hit rate, reciprocal rank and nDCG, then average precision.
    /// </summary>
    internal static (double Recall, double Precision, double HitRate, double ReciprocalRank, double Ndcg)[] AllAtCutoffs(
        IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> qrels, IReadOnlyList<int> cutoffs, out double averagePrecision)
    {
        int maxK = cutoffs.Max();
        int[] gains = Grades(ranking, qrels, Math.Max(maxK, Math.Max(1, ranking.Count)));
        int total = 0;
        var idealGrades = new List<int>();
        foreach (int grade in qrels.Values)
        {
            if (grade > 0)
            {
                total++;
                idealGrades.Add(grade);
            }
        }

        idealGrades.Sort(static (x, y) => y.CompareTo(x));
        averagePrecision = 0;
        int found = 0;
        for (int i = 0; i < gains.Length; i++)
        {
            if (gains[i] > 0)
            {
                found++;
                averagePrecision += (double)found / (i + 1);
            }
        }

        averagePrecision = total == 0 ? 0 : averagePrecision / total;
        var results = new (double, double, double, double, double)[cutoffs.Count];
        for (int c = 0; c < cutoffs.Count; c++)
        {
            int k = cutoffs[c];
            int relevant = 0, first = -1;
            double dcg = 0, idealDcg = 0;
            for (int i = 0; i < Math.Min(k, gains.Length); i++)
            {
                if (gains[i] > 0)
                {
                    relevant++;
                    first = first < 0 ? i : first;
                    dcg += gains[i] / Math.Log2(i + 2);
                }
            }

            for (int i = 0; i < Math.Min(k, idealGrades.Count); i++)
            {
                idealDcg += idealGrades[i] / Math.Log2(i + 2);
            }

            results[c] = (
                total == 0 ? 0 : (double)relevant / total,
                (double)relevant / k,
                relevant > 0 ? 1 : 0,
                first < 0 ? 0 : 1.0 / (first + 1),
                idealDcg > 0 ? dcg / idealDcg : 0);
        }

        return results;
    }

    /// <summary>The grades of the first <paramref name="k"/> ranked documents (0 for unjudged ones), after checking the arguments.</summary>
    private static int[] Grades(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> qrels, int k)
    {
        Throw.IfNull(ranking);
        Throw.IfNull(qrels);
        Throw.IfLessThan(k, 1);
        int count = Math.Min(k, ranking.Count);
        var grades = new int[count];
        var seen = new HashSet<string>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string id = ranking[i] ?? throw new ArgumentException($"The ranking has a null id at index {i}.", nameof(ranking));
            if (!seen.Add(id))
            {
                throw new ArgumentException($"The ranking contains the document id '{id}' twice (at index {i}); each document may be ranked once.", nameof(ranking));
            }

            grades[i] = qrels.TryGetValue(id, out int grade) ? grade : 0;
        }

        return grades;
    }

    private static int CountRelevant(int[] grades) => grades.Count(static grade => grade > 0);
}
