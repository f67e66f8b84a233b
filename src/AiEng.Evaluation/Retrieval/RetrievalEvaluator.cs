using System.Globalization;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// Scores a case's retrieval (<see cref="RetrievalContext"/>) with the <see cref="RetrievalMetrics"/> of <c>trec_eval</c>:
/// <c>Recall@k</c>, <c>Precision@k</c>, <c>HitRate@k</c>, <c>MRR@k</c> and <c>nDCG@k</c> (graded gains) for each cutoff,
/// and <c>MAP</c> over the whole ranking. Averaging each metric over cases gives the usual means.
/// </summary>
public sealed class RetrievalEvaluator : IEvaluator
{
    private readonly int[] _cutoffs;

    /// <summary>Initializes a new instance of the <see cref="RetrievalEvaluator"/> class.</summary>
    /// <param name="cutoffs">The cutoffs k; by default 1, 5 and 10.</param>
    /// <exception cref="ArgumentOutOfRangeException">A cutoff is less than 1.</exception>
    public RetrievalEvaluator(params int[] cutoffs)
    {
        _cutoffs = cutoffs is null || cutoffs.Length == 0 ? [1, 5, 10] : cutoffs.Distinct().Order().ToArray();
        foreach (int k in _cutoffs)
        {
            Throw.IfLessThan(k, 1, nameof(cutoffs));
        }

        EvaluationMetricNames = [.. _cutoffs.SelectMany(static k => new[] { $"Recall@{k}", $"Precision@{k}", $"HitRate@{k}", $"MRR@{k}", $"nDCG@{k}" }), "MAP"];
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; }

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        var retrieval = EvaluatorSupport.Find<RetrievalContext>(additionalContext);
        if (retrieval is null)
        {
            return new(new EvaluationResult(EvaluationMetricNames.Select(name => (EvaluationMetric)EvaluatorSupport.Unscored(
                name, $"The case has no retrieval results and relevance judgements ({nameof(RetrievalContext)}); '{name}' was not computed."))));
        }

        try
        {
            var all = RetrievalMetrics.AllAtCutoffs(retrieval.RankedIds, retrieval.Relevance, _cutoffs, out double averagePrecision);
            var metrics = new List<EvaluationMetric>(EvaluationMetricNames.Count);
            for (int c = 0; c < _cutoffs.Length; c++)
            {
                string at = _cutoffs[c].ToString(CultureInfo.InvariantCulture);
                var (recall, precision, hitRate, reciprocalRank, ndcg) = all[c];
                metrics.Add(EvaluatorSupport.Scored($"Recall@{at}", recall));
                metrics.Add(EvaluatorSupport.Scored($"Precision@{at}", precision));
                metrics.Add(EvaluatorSupport.Scored($"HitRate@{at}", hitRate));
                metrics.Add(EvaluatorSupport.Scored($"MRR@{at}", reciprocalRank));
                metrics.Add(EvaluatorSupport.Scored($"nDCG@{at}", ndcg));
            }

            metrics.Add(EvaluatorSupport.Scored("MAP", averagePrecision));
            return new(new EvaluationResult(metrics));
        }
        catch (ArgumentException ex)
        {
            return new(new EvaluationResult(EvaluationMetricNames.Select(name => (EvaluationMetric)EvaluatorSupport.Unscored(name, ex.Message))));
        }
    }
}
