using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// Token-level F1 between the response and the reference, as SQuAD's evaluation script computes it: both are lower-cased,
/// stripped of punctuation and of the articles a/an/the and split on white space; with <c>common</c> the size of the
/// multiset intersection, precision = common / |response|, recall = common / |reference|, F1 = 2PR / (P + R).
/// Two empty token lists score 1; one empty list scores 0.
/// </summary>
public sealed class TokenF1Evaluator : IEvaluator
{
    /// <summary>The metric name: <c>Token F1</c>.</summary>
    public const string MetricName = "Token F1";

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [MetricName];

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(modelResponse);
        return EvaluatorSupport.CompareTokens(MetricName, modelResponse, additionalContext, removeArticles: true, Score);
    }

    internal static double Score(string[] candidate, string[] reference)
    {
        if (candidate.Length == 0 || reference.Length == 0)
        {
            return candidate.Length == reference.Length ? 1 : 0;
        }

        var counts = reference.CountBy(static t => t, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        int common = 0;
        foreach (string token in candidate)
        {
            if (counts.TryGetValue(token, out int left) && left > 0)
            {
                counts[token] = left - 1;
                common++;
            }
        }

        if (common == 0)
        {
            return 0;
        }

        double precision = (double)common / candidate.Length;
        double recall = (double)common / reference.Length;
        return 2 * precision * recall / (precision + recall);
    }
}
