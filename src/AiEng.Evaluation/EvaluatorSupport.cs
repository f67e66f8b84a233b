using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>Shared plumbing of the AiEng evaluators: context look-up, metrics with diagnostics, reference-based scoring.</summary>
internal static class EvaluatorSupport
{
    public static T? Find<T>(IEnumerable<EvaluationContext>? additionalContext)
        where T : EvaluationContext => additionalContext?.OfType<T>().FirstOrDefault();

    /// <summary>A numeric metric without a value that carries an error diagnostic (never NaN).</summary>
    public static NumericMetric Unscored(string name, string message)
    {
        var metric = new NumericMetric(name);
        metric.AddDiagnostics(EvaluationDiagnostic.Error(message));
        return metric;
    }

    /// <summary>A numeric metric with a finite value; a non-finite value becomes an error diagnostic instead.</summary>
    public static NumericMetric Scored(string name, double value, string? reason = null)
    {
        if (!double.IsFinite(value))
        {
            return Unscored(name, $"The computation of '{name}' produced a non-finite value ({value}); no score is reported.");
        }

        return new NumericMetric(name, value, reason);
    }

    public static NumericMetric MissingReference(string name) =>
        Unscored(name, $"The case has no reference answer ({nameof(ReferenceContext)}); '{name}' compares the response with a reference and was not computed.");

    /// <summary>Scores the response against the case's reference with <paramref name="score"/>, or reports the missing reference.</summary>
    public static ValueTask<EvaluationResult> CompareWithReference(
        string name, ChatResponse modelResponse, IEnumerable<EvaluationContext>? additionalContext, Func<string, string, double> score)
    {
        ArgumentNullException.ThrowIfNull(modelResponse);
        var reference = Find<ReferenceContext>(additionalContext);
        EvaluationMetric metric = reference is null
            ? MissingReference(name)
            : Scored(name, score(modelResponse.Text, reference.Reference));
        return new(new EvaluationResult(metric));
    }

    /// <summary>Scores word tokens of response and reference (see <see cref="TextNormalizer.Tokens"/>) with <paramref name="score"/>.</summary>
    public static ValueTask<EvaluationResult> CompareTokens(
        string name, ChatResponse modelResponse, IEnumerable<EvaluationContext>? additionalContext, bool removeArticles, Func<string[], string[], double> score) =>
        CompareWithReference(name, modelResponse, additionalContext, (response, reference) =>
            score(TextNormalizer.Tokens(response, removeArticles), TextNormalizer.Tokens(reference, removeArticles)));

    public static ValueTask<EvaluationResult> Result(params EvaluationMetric[] metrics) => new(new EvaluationResult(metrics));
}
