using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// ROUGE-L F1 (Lin, 2004) at sentence level: with LCS the length of the longest common subsequence of the word tokens
/// (lower case, punctuation removed), P = LCS / |response|, R = LCS / |reference|, F = 2PR / (P + R) (beta = 1, as the
/// <c>rouge-score</c> package reports <c>rougeL.fmeasure</c>, without stemming).
/// </summary>
public sealed class RougeLEvaluator : IEvaluator
{
    /// <summary>The metric name: <c>ROUGE-L</c>.</summary>
    public const string MetricName = "ROUGE-L";

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [MetricName];

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(modelResponse);
        return EvaluatorSupport.CompareTokens(MetricName, modelResponse, additionalContext, removeArticles: false, Score);
    }

    internal static double Score(string[] candidate, string[] reference)
    {
        if (candidate.Length == 0 || reference.Length == 0)
        {
            return 0;
        }

        // Two rows of the LCS table suffice.
        var previous = new int[reference.Length + 1];
        var current = new int[reference.Length + 1];
        for (int i = 1; i <= candidate.Length; i++)
        {
            for (int j = 1; j <= reference.Length; j++)
            {
                current[j] = string.Equals(candidate[i - 1], reference[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        int lcs = previous[reference.Length];
        if (lcs == 0)
        {
            return 0;
        }

        double precision = (double)lcs / candidate.Length;
        double recall = (double)lcs / reference.Length;
        return 2 * precision * recall / (precision + recall);
    }
}
