using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>Adds the evaluator acceptance check to a cascade's options (<c>ChatClientBuilder.UseCascade</c>).</summary>
public static class CascadeOptionsEvaluationExtensions
{
    /// <summary>
    /// Adds a check that scores each answer with <paramref name="evaluator"/> and escalates it when the metric
    /// <paramref name="metricName"/> is under <paramref name="minimum"/>. A <see cref="NumericMetric"/> is compared as it is,
    /// a <see cref="BooleanMetric"/> as 1 (true) or 0 (false); a metric that is missing or has no value escalates too.
    /// </summary>
    /// <param name="options">The cascade's options.</param>
    /// <param name="evaluator">The evaluator, for example one of AiEng's deterministic evaluators, or an LLM judge (it then costs a call per checked answer: put cheaper checks first).</param>
    /// <param name="metricName">The name of the metric to compare, as the evaluator reports it (<see cref="IEvaluator.EvaluationMetricNames"/>).</param>
    /// <param name="minimum">The lowest accepted score, in the metric's scale (for example 4 on MEAI's 1-to-5 quality scale).</param>
    /// <param name="chatConfiguration">The judge model for evaluators that need one; <see langword="null"/> for evaluators that do not.</param>
    /// <param name="additionalContext">Gives the evaluator its context for an answer (for example a grounding context); <see langword="null"/> for none.</param>
    /// <returns>The <paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/>, <paramref name="evaluator"/> or <paramref name="metricName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="metricName"/> is empty, or not one of the evaluator's metrics.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimum"/> is not a finite number.</exception>
    /// <remarks>
    /// AiEng's core package, which holds the cascade, does not depend on <c>Microsoft.Extensions.AI.Evaluation</c>; this check
    /// lives here, in the evaluation package, and plugs into the cascade through <see cref="ICascadeAcceptanceCheck"/>.
    /// </remarks>
    public static CascadeOptions RequireScore(
        this CascadeOptions options,
        IEvaluator evaluator,
        string metricName,
        double minimum,
        ChatConfiguration? chatConfiguration = null,
        Func<CascadeAttempt, IEnumerable<EvaluationContext>?>? additionalContext = null)
    {
        Throw.IfNull(options);
        Throw.IfNull(evaluator);
        Throw.IfNullOrWhitespace(metricName);
        if (!double.IsFinite(minimum))
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "The minimum score must be a finite number, for example 0.8.");
        }

        if (!evaluator.EvaluationMetricNames.Contains(metricName))
        {
            throw new ArgumentException(
                $"The evaluator {evaluator.GetType().Name} reports no metric '{metricName}'; it reports {string.Join(", ", evaluator.EvaluationMetricNames.Select(name => $"'{name}'"))}.",
                nameof(metricName));
        }

        options.AcceptanceChecks.Add(new EvaluatorAcceptanceCheck(evaluator, metricName, minimum, chatConfiguration, additionalContext));
        return options;
    }
}
