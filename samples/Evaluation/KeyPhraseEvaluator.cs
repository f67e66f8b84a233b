using AiEng.Evaluation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Samples.Evaluation;

/// <summary>
/// The <see cref="ContainsEvaluator"/> with per-question phrases: each case lists them in its <c>mustContain</c>
/// metadata, separated by <c>|</c>. Cases are found by their input (the question).
/// </summary>
public sealed class KeyPhraseEvaluator : IEvaluator
{
    /// <summary>The metadata key holding the phrases.</summary>
    public const string MetadataKey = "mustContain";

    private readonly Dictionary<string, ContainsEvaluator> _byInput = new(StringComparer.Ordinal);

    /// <summary>Builds one <see cref="ContainsEvaluator"/> per case that lists phrases.</summary>
    public KeyPhraseEvaluator(EvaluationDataset dataset)
    {
        foreach (var evaluationCase in dataset.Cases)
        {
            if (evaluationCase.Metadata.TryGetValue(MetadataKey, out string? phrases))
            {
                _byInput[evaluationCase.Input] = new ContainsEvaluator(phrases.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [ContainsEvaluator.MetricName];

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        string question = messages.LastOrDefault(static m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        if (_byInput.TryGetValue(question, out var evaluator))
        {
            return evaluator.EvaluateAsync(messages, modelResponse, chatConfiguration, additionalContext, cancellationToken);
        }

        var metric = new NumericMetric(ContainsEvaluator.MetricName);
        metric.AddDiagnostics(EvaluationDiagnostic.Informational($"The case has no '{MetadataKey}' phrases."));
        return new ValueTask<EvaluationResult>(new EvaluationResult(metric));
    }
}
