using AiEng.Evaluation;
using AiEng.Retrieval;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Tests.Evaluation.Retrieval;

public sealed class RetrievalEvaluatorTests
{
    /// <summary>
    /// A two-query trec_eval fixture, checked by hand (trec_eval 9.x semantics: rank by score descending, ties by doc id
    /// descending; gain = grade; discount log2(rank + 1)).
    /// q1: qrels d1=2, d2=0, d3=1, d5=1; run d1 .9, d2 .8, d3 .8, d4 .5, d6 .4 -> ranking d1 d3 d2 d4 d6.
    ///     P@5 = 2/5; recall@5 = 2/3; success@1 = 1; recip_rank = 1; AP = (1/1 + 2/2) / 3;
    ///     ndcg_cut_5 = (2 + 1/log2 3) / (2 + 1/log2 3 + 1/log2 4) = 0.840303.
    /// q2: qrels d7=1; run d8 .9, d9 .7, d7 .7 -> ranking d8 d9 d7.
    ///     P@5 = 1/5; recall@5 = 1; success@1 = 0; recip_rank = 1/3; AP = 1/3; ndcg_cut_5 = (1/log2 4) / 1 = 0.5.
    /// Means (trec_eval -c): P_5 0.3, recall_5 0.8333, success_1 0.5, recip_rank 0.6667, map 0.5, ndcg_cut_5 0.670152.
    /// </summary>
    [Fact]
    public async Task Matches_trec_eval_on_a_hand_checked_fixture()
    {
        var q1 = new RetrievalContext(
            RetrievalMetrics.RankAsTrecEval([new("d1", 0.9), new("d2", 0.8), new("d3", 0.8), new("d4", 0.5), new("d6", 0.4)]),
            new Dictionary<string, int> { ["d1"] = 2, ["d2"] = 0, ["d3"] = 1, ["d5"] = 1 });
        var q2 = new RetrievalContext(
            RetrievalMetrics.RankAsTrecEval([new("d8", 0.9), new("d9", 0.7), new("d7", 0.7)]),
            new Dictionary<string, int> { ["d7"] = 1 });
        Assert.Equal(["d1", "d3", "d2", "d4", "d6"], q1.RankedIds);
        Assert.Equal(["d8", "d9", "d7"], q2.RankedIds);

        var evaluator = new RetrievalEvaluator(1, 5);
        async Task<double> Mean(string metric) =>
            ((await EvalCall.ValueAsync(evaluator, "", metric, q1)) + (await EvalCall.ValueAsync(evaluator, "", metric, q2))) / 2;

        Assert.Equal(0.3, await Mean("Precision@5"), 6);
        Assert.Equal(0.833333, await Mean("Recall@5"), 6);
        Assert.Equal(0.5, await Mean("HitRate@1"), 6);
        Assert.Equal(0.666667, await Mean("MRR@5"), 6);
        Assert.Equal(0.5, await Mean("MAP"), 6);
        Assert.Equal(0.670152, await Mean("nDCG@5"), 6);
        Assert.Equal(0.840303, await EvalCall.ValueAsync(evaluator, "", "nDCG@5", q1), 6);
    }

    [Fact]
    public async Task Names_every_metric_per_cutoff_and_reports_a_missing_retrieval_as_diagnostics()
    {
        var evaluator = new RetrievalEvaluator(3);
        Assert.Equal(["Recall@3", "Precision@3", "HitRate@3", "MRR@3", "nDCG@3", "MAP"], evaluator.EvaluationMetricNames);
        var metric = await EvalCall.ScoreAsync(evaluator, "", "MAP");
        Assert.Null(metric.Value);
        Assert.Equal(EvaluationDiagnosticSeverity.Error, Assert.Single(metric.Diagnostics!).Severity);
    }

    [Fact]
    public async Task A_ranking_with_a_duplicate_id_becomes_a_diagnostic_not_an_exception()
    {
        var context = new RetrievalContext(["d1", "d1"], new Dictionary<string, int> { ["d1"] = 1 });
        var metric = await EvalCall.ScoreAsync(new RetrievalEvaluator(1), "", "MAP", context);
        Assert.Null(metric.Value);
        Assert.Contains("twice", Assert.Single(metric.Diagnostics!).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_one_pass_computation_agrees_with_the_per_metric_functions_on_random_runs()
    {
        var random = new Random(7);
        var evaluator = new RetrievalEvaluator(1, 3, 10, 50);
        for (int query = 0; query < 50; query++)
        {
            string[] ranking = Enumerable.Range(0, random.Next(0, 40)).Select(i => $"d{i}").ToArray();
            random.Shuffle(ranking);
            var qrels = Enumerable.Range(0, random.Next(0, 8)).ToDictionary(i => $"d{i * 5}", _ => random.Next(-1, 4));
            var context = new RetrievalContext(ranking, qrels);
            foreach (int k in new[] { 1, 3, 10, 50 })
            {
                Assert.Equal(RetrievalMetrics.RecallAtK(ranking, qrels, k), await EvalCall.ValueAsync(evaluator, "", $"Recall@{k}", context), 12);
                Assert.Equal(RetrievalMetrics.PrecisionAtK(ranking, qrels, k), await EvalCall.ValueAsync(evaluator, "", $"Precision@{k}", context), 12);
                Assert.Equal(RetrievalMetrics.HitRateAtK(ranking, qrels, k), await EvalCall.ValueAsync(evaluator, "", $"HitRate@{k}", context), 12);
                Assert.Equal(RetrievalMetrics.ReciprocalRankAtK(ranking, qrels, k), await EvalCall.ValueAsync(evaluator, "", $"MRR@{k}", context), 12);
                Assert.Equal(RetrievalMetrics.NdcgAtK(ranking, qrels, k), await EvalCall.ValueAsync(evaluator, "", $"nDCG@{k}", context), 12);
            }

            Assert.Equal(RetrievalMetrics.AveragePrecision(ranking, qrels), await EvalCall.ValueAsync(evaluator, "", "MAP", context), 12);
        }
    }
}
