using AiEng.Evaluation;
using AiEng.Retrieval;

namespace AiEng.Tests.Evaluation.Retrieval;

public class RetrievalMetricsTests
{
    // Hand-checked fixture. Graded qrels: d1 = 2, d2 = 1, d3 = 1 are relevant (3 relevant documents), d4 = 0 is judged
    // non-relevant; d5 and d6 are unjudged. The ranking [d5, d1, d4, d3, d6] has grades [0, 2, 0, 1, 0]:
    // relevant documents at ranks 2 (grade 2) and 4 (grade 1); d2 is never retrieved.
    private static readonly Dictionary<string, int> Qrels = new() { ["d1"] = 2, ["d2"] = 1, ["d3"] = 1, ["d4"] = 0 };
    private static readonly string[] Ranking = ["d5", "d1", "d4", "d3", "d6"];

    [Fact]
    public void Ndcg_uses_the_grade_as_gain_and_log2_of_rank_plus_one_as_discount()
    {
        // DCG@5 = 2 / log2(3) + 1 / log2(5) = 1.2618595 + 0.4306766 = 1.6925361
        // ideal order of the judged grades [2, 1, 1]: IDCG@5 = 2 / log2(2) + 1 / log2(3) + 1 / log2(4) = 2 + 0.6309298 + 0.5 = 3.1309298
        // nDCG@5 = 1.6925361 / 3.1309298 = 0.5405858 (with 2^grade - 1 gains it would be 0.5772)
        Assert.Equal(0.5405858, RetrievalMetrics.NdcgAtK(Ranking, Qrels, 5), 6);

        // DCG@2 = 2 / log2(3) = 1.2618595; IDCG@2 = 2 + 1 / log2(3) = 2.6309298; nDCG@2 = 0.4796249
        Assert.Equal(0.4796249, RetrievalMetrics.NdcgAtK(Ranking, Qrels, 2), 6);

        // The ideal ranking itself scores 1.
        Assert.Equal(1.0, RetrievalMetrics.NdcgAtK(["d1", "d3", "d2"], Qrels, 10), 12);
    }

    [Fact]
    public void Recall_precision_reciprocal_rank_and_hit_rate_count_grades_of_one_and_above_as_relevant()
    {
        // Top 5 holds d1 and d3: recall 2 / 3; top 2 holds d1: recall 1 / 3.
        Assert.Equal(2.0 / 3, RetrievalMetrics.RecallAtK(Ranking, Qrels, 5), 12);
        Assert.Equal(1.0 / 3, RetrievalMetrics.RecallAtK(Ranking, Qrels, 2), 12);

        // P@5 = 2 / 5; P@10 = 2 / 10 because trec_eval divides by k even when fewer documents were retrieved.
        Assert.Equal(0.4, RetrievalMetrics.PrecisionAtK(Ranking, Qrels, 5), 12);
        Assert.Equal(0.2, RetrievalMetrics.PrecisionAtK(Ranking, Qrels, 10), 12);

        // The first relevant document is at rank 2: RR@10 = 1 / 2; it is outside the top 1: RR@1 = 0.
        Assert.Equal(0.5, RetrievalMetrics.ReciprocalRankAtK(Ranking, Qrels, 10), 12);
        Assert.Equal(0.0, RetrievalMetrics.ReciprocalRankAtK(Ranking, Qrels, 1), 12);

        Assert.Equal(0.0, RetrievalMetrics.HitRateAtK(Ranking, Qrels, 1), 12);
        Assert.Equal(1.0, RetrievalMetrics.HitRateAtK(Ranking, Qrels, 2), 12);
    }

    [Fact]
    public void Average_precision_divides_by_all_relevant_documents_including_unretrieved_ones()
    {
        // Precision at rank 2 = 1 / 2, at rank 4 = 2 / 4; AP = (0.5 + 0.5) / 3 relevant = 1 / 3.
        Assert.Equal(1.0 / 3, RetrievalMetrics.AveragePrecision(Ranking, Qrels), 12);
    }

    [Fact]
    public void A_query_whose_relevant_documents_are_not_retrieved_scores_zero_everywhere()
    {
        var qrels = new Dictionary<string, int> { ["d7"] = 1, ["d1"] = 0 };
        string[] ranking = ["d1", "d2"];

        Assert.Equal(0.0, RetrievalMetrics.NdcgAtK(ranking, qrels, 10));
        Assert.Equal(0.0, RetrievalMetrics.RecallAtK(ranking, qrels, 10));
        Assert.Equal(0.0, RetrievalMetrics.PrecisionAtK(ranking, qrels, 10));
        Assert.Equal(0.0, RetrievalMetrics.ReciprocalRankAtK(ranking, qrels, 10));
        Assert.Equal(0.0, RetrievalMetrics.AveragePrecision(ranking, qrels));
        Assert.Equal(0.0, RetrievalMetrics.HitRateAtK(ranking, qrels, 10));
    }

    [Fact]
    public void A_query_without_any_relevant_document_scores_zero_rather_than_dividing_by_zero()
    {
        var qrels = new Dictionary<string, int> { ["d1"] = 0 };

        Assert.Equal(0.0, RetrievalMetrics.NdcgAtK(["d1"], qrels, 10));
        Assert.Equal(0.0, RetrievalMetrics.RecallAtK(["d1"], qrels, 10));
        Assert.Equal(0.0, RetrievalMetrics.AveragePrecision([], qrels));
    }

    [Fact]
    public void Ranks_by_score_descending_and_breaks_ties_by_id_descending_as_trec_eval_does()
    {
        SearchHit[] hits = [new("b", 1.0), new("a", 1.0), new("c", 2.0), new("d", 1.0), new("B", 1.0)];

        // Ordinal comparison: "d" > "b" > "a" > "B".
        Assert.Equal(["c", "d", "b", "a", "B"], RetrievalMetrics.RankAsTrecEval(hits));
    }

    [Fact]
    public void Rejects_a_ranking_that_lists_a_document_twice_and_a_cutoff_below_one()
    {
        var duplicate = Assert.Throws<ArgumentException>(() => RetrievalMetrics.NdcgAtK(["d1", "d2", "d1"], Qrels, 10));
        Assert.Contains("'d1' twice", duplicate.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrievalMetrics.RecallAtK(Ranking, Qrels, 0));
    }
}
