using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// Sentence-level BLEU-4 (Papineni et al., 2002) of the response against the reference, on lower-cased word tokens:
/// BP * exp(mean over n = 1..4 of log p_n), where p_n is the clipped n-gram precision and the brevity penalty
/// BP = 1 when the response is longer than the reference, else exp(1 - |reference| / |response|). Single sentences often
/// share no 4-gram, so p_n for n of 2 and more is add-one smoothed (Lin and Och, 2004; NLTK's smoothing method 2);
/// unigram precision is not smoothed, so a response sharing no word scores 0.
/// </summary>
public sealed class BleuEvaluator : IEvaluator
{
    /// <summary>The metric name: <c>BLEU</c>.</summary>
    public const string MetricName = "BLEU";

    private const int MaxOrder = 4;

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

        double logSum = 0;
        for (int n = 1; n <= MaxOrder; n++)
        {
            var referenceCounts = NGrams(reference, n);
            int total = Math.Max(0, candidate.Length - n + 1);
            int matched = 0;
            foreach (var (gram, count) in NGrams(candidate, n))
            {
                matched += Math.Min(count, referenceCounts.GetValueOrDefault(gram));
            }

            if (n == 1 && matched == 0)
            {
                return 0;
            }

            double precision = n == 1 ? (double)matched / total : (matched + 1.0) / (total + 1.0);
            logSum += Math.Log(precision);
        }

        double brevity = candidate.Length > reference.Length ? 1 : Math.Exp(1 - ((double)reference.Length / candidate.Length));
        return brevity * Math.Exp(logSum / MaxOrder);
    }

    private static Dictionary<string, int> NGrams(string[] tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Length; i++)
        {
            string gram = string.Join('\u0001', tokens, i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        return counts;
    }
}
