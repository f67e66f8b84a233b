using System.Text.RegularExpressions;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>Scores 1 when the response matches a regular expression, else 0. Matching has a timeout, so a pathological pattern cannot hang a run.</summary>
public sealed class RegexEvaluator : IEvaluator
{
    /// <summary>The metric name: <c>Regex Match</c>.</summary>
    public const string MetricName = "Regex Match";

    private readonly Regex _regex;

    /// <summary>Initializes a new instance of the <see cref="RegexEvaluator"/> class.</summary>
    /// <param name="pattern">The pattern (.NET syntax).</param>
    /// <param name="options">Regex options; <see cref="RegexOptions.CultureInvariant"/> is always added.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is not a valid regular expression.</exception>
    public RegexEvaluator(string pattern, RegexOptions options = RegexOptions.None)
    {
        _regex = new Regex(Throw.IfNull(pattern), options | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [MetricName];

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(modelResponse);
        try
        {
            bool match = _regex.IsMatch(modelResponse.Text);
            return EvaluatorSupport.Result(EvaluatorSupport.Scored(MetricName, match ? 1 : 0, match ? "The pattern matches." : $"The pattern /{_regex}/ does not match."));
        }
        catch (RegexMatchTimeoutException)
        {
            return EvaluatorSupport.Result(EvaluatorSupport.Unscored(MetricName, $"Matching /{_regex}/ timed out after {_regex.MatchTimeout.TotalSeconds:0.#} s."));
        }
    }
}
