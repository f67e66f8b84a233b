using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// Scores 1 when the response equals the case's reference (<see cref="ReferenceContext"/>) after normalisation, else 0.
/// A case without a reference gets an error diagnostic and no value.
/// </summary>
public sealed class ExactMatchEvaluator : IEvaluator
{
    /// <summary>The metric name: <c>Exact Match</c>.</summary>
    public const string MetricName = "Exact Match";

    private readonly TextNormalizationOptions _options;

    /// <summary>Initializes a new instance of the <see cref="ExactMatchEvaluator"/> class.</summary>
    /// <param name="options">The normalisation; by default case-insensitive with collapsed white space.</param>
    public ExactMatchEvaluator(TextNormalizationOptions? options = null)
    {
        _options = options?.Clone() ?? new TextNormalizationOptions();
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [MetricName];

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(modelResponse);
        return EvaluatorSupport.CompareWithReference(MetricName, modelResponse, additionalContext, (response, reference) =>
            string.Equals(TextNormalizer.Normalize(response, _options), TextNormalizer.Normalize(reference, _options), StringComparison.Ordinal) ? 1 : 0);
    }
}
