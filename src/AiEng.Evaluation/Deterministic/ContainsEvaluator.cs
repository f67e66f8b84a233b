using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// The fraction of the expected phrases that occur in the response after normalisation (1 when all occur), or, with
/// <c>requireAll</c> false, 1 when any occurs.
/// </summary>
public sealed class ContainsEvaluator : IEvaluator
{
    /// <summary>The metric name: <c>Contains</c>.</summary>
    public const string MetricName = "Contains";

    private readonly string[] _phrases;
    private readonly bool _requireAll;
    private readonly TextNormalizationOptions _options;

    /// <summary>Initializes a new instance of the <see cref="ContainsEvaluator"/> class.</summary>
    /// <param name="phrases">The phrases to look for; at least one.</param>
    /// <param name="requireAll"><see langword="true"/> to score the fraction found; <see langword="false"/> to score 1 when any is found.</param>
    /// <param name="options">The normalisation applied to both sides.</param>
    /// <exception cref="ArgumentNullException"><paramref name="phrases"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="phrases"/> is empty or holds an empty phrase.</exception>
    public ContainsEvaluator(IEnumerable<string> phrases, bool requireAll = true, TextNormalizationOptions? options = null)
    {
        _options = options?.Clone() ?? new TextNormalizationOptions();
        _phrases = Throw.IfNull(phrases).Select(p => TextNormalizer.Normalize(Throw.IfNullOrWhitespace(p, nameof(phrases)), _options)).ToArray();
        if (_phrases.Length == 0)
        {
            throw new ArgumentException("At least one phrase is required.", nameof(phrases));
        }

        _requireAll = requireAll;
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [MetricName];

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(modelResponse);
        string text = TextNormalizer.Normalize(modelResponse.Text, _options);
        string[] missing = _phrases.Where(p => !text.Contains(p, StringComparison.Ordinal)).ToArray();
        int found = _phrases.Length - missing.Length;
        double score = _requireAll ? (double)found / _phrases.Length : found > 0 ? 1 : 0;
        string reason = missing.Length == 0 ? "All phrases found." : $"Missing: {string.Join(", ", missing.Select(static m => $"'{m}'"))}.";
        return EvaluatorSupport.Result(EvaluatorSupport.Scored(MetricName, score, reason));
    }
}
