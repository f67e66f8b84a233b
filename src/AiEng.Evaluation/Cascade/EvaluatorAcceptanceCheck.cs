using System.Globalization;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// A cascade acceptance check that scores an answer with an <see cref="IEvaluator"/> and accepts it when one of its metrics
/// reaches a minimum (see <see cref="CascadeOptionsEvaluationExtensions.RequireScore"/>).
/// </summary>
internal sealed class EvaluatorAcceptanceCheck(
    IEvaluator evaluator,
    string metricName,
    double minimum,
    ChatConfiguration? chatConfiguration,
    Func<CascadeAttempt, IEnumerable<EvaluationContext>?>? additionalContext) : ICascadeAcceptanceCheck
{
    public async ValueTask<CascadeVerdict> CheckAsync(CascadeAttempt attempt, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(attempt);
        EvaluationResult result = await evaluator.EvaluateAsync(
            attempt.Messages, attempt.Response, chatConfiguration, additionalContext?.Invoke(attempt), cancellationToken).ConfigureAwait(false);
        if (!result.Metrics.TryGetValue(metricName, out EvaluationMetric? metric))
        {
            return CascadeVerdict.Reject($"the evaluator returned no metric '{metricName}' (it returned {Names(result)})");
        }

        double? score = metric switch
        {
            NumericMetric numeric => numeric.Value,
            BooleanMetric boolean => boolean.Value is bool passed ? (passed ? 1 : 0) : null,
            _ => null,
        };
        if (score is not double value || double.IsNaN(value))
        {
            return CascadeVerdict.Reject($"the evaluator gave '{metricName}' no score");
        }

        return value >= minimum
            ? CascadeVerdict.Accept
            : CascadeVerdict.Reject(string.Create(CultureInfo.InvariantCulture, $"'{metricName}' is {value:0.###}, under the minimum {minimum:0.###}"));
    }

    private static string Names(EvaluationResult result) =>
        result.Metrics.Count == 0 ? "none" : string.Join(", ", result.Metrics.Keys.Select(name => $"'{name}'"));
}
