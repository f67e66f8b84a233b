using System.Diagnostics;
using AiEng.Evaluation;
using AiEng.Retrieval;

namespace AiEng.Benchmarks.Beir;

/// <summary>The quality and query latency of one retriever over the judged queries of a BEIR split.</summary>
/// <param name="Queries">The number of judged queries asked.</param>
/// <param name="Ndcg">Mean nDCG@10, computed as trec_eval does.</param>
/// <param name="Recall">Mean recall@100.</param>
/// <param name="Mrr">Mean reciprocal rank within the top 10.</param>
/// <param name="P50">Median time of one query, in milliseconds.</param>
/// <param name="P95">95th percentile time of one query, in milliseconds (nearest rank).</param>
internal sealed record BeirScores(int Queries, double Ndcg, double Recall, double Mrr, double P50, double P95)
{
    /// <summary>Asks every judged query through <paramref name="search"/> (after five warm-up queries) and scores the rankings.</summary>
    public static async Task<BeirScores> MeasureAsync(
        BeirDataset dataset, string[] queryIds, Dictionary<string, Dictionary<string, int>> qrels, Func<string, Task<IReadOnlyList<SearchHit>>> search)
    {
        // Warm up (JIT, ONNX Runtime session, lazily built indexes) on a few queries before timing.
        foreach (string id in queryIds.Take(5))
        {
            await search(dataset.Queries[id]).ConfigureAwait(false);
        }

        var times = new double[queryIds.Length];
        double ndcg = 0, recall = 0, mrr = 0;
        for (int q = 0; q < queryIds.Length; q++)
        {
            long started = Stopwatch.GetTimestamp();
            var hits = await search(dataset.Queries[queryIds[q]]).ConfigureAwait(false);
            times[q] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var ranking = RetrievalMetrics.RankAsTrecEval(hits);
            var judged = qrels[queryIds[q]];
            ndcg += RetrievalMetrics.NdcgAtK(ranking, judged, 10);
            recall += RetrievalMetrics.RecallAtK(ranking, judged, 100);
            mrr += RetrievalMetrics.ReciprocalRankAtK(ranking, judged, 10);
        }

        Array.Sort(times);
        int n = Math.Max(1, queryIds.Length);
        return new BeirScores(queryIds.Length, Math.Round(ndcg / n, 4), Math.Round(recall / n, 4), Math.Round(mrr / n, 4), Math.Round(Median(times), 3), Math.Round(Percentile(times, 0.95), 3));
    }

    private static double Median(double[] sorted) =>
        sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
