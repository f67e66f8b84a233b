using System.Globalization;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// Ragas context precision@k: the judge marks each of the top k retrieved contexts useful or not for arriving at the
/// reference answer (the response when the case has no reference) (<c>context-precision.prompty</c>); with v_i the verdict
/// at rank i, score = sum over i of (precision@i x v_i) / (number of useful contexts in the top k), and 0 when none is useful.
/// It rewards rankings that put the useful contexts first.
/// </summary>
public sealed class ContextPrecisionEvaluator : IEvaluator
{
    private readonly int _k;

    /// <summary>Initializes a new instance of the <see cref="ContextPrecisionEvaluator"/> class.</summary>
    /// <param name="k">How many top contexts are judged; at least 1. Default 5.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public ContextPrecisionEvaluator(int k = 5)
    {
        _k = Throw.IfLessThan(k, 1);
        MetricName = $"Context Precision@{k.ToString(CultureInfo.InvariantCulture)}";
        EvaluationMetricNames = [MetricName];
    }

    /// <summary>Gets the metric name: <c>Context Precision@k</c>.</summary>
    public string MetricName { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; }

    /// <inheritdoc />
    /// <remarks>Every metric returned carries the judge prompt's id and content hash in its metadata under <see cref="JudgePrompts.MetadataKey"/>.</remarks>
    public async ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) =>
        JudgePrompt.Cite(await EvaluateCoreAsync(messages, modelResponse, chatConfiguration, additionalContext, cancellationToken).ConfigureAwait(false), "context-precision");

    private async ValueTask<EvaluationResult> EvaluateCoreAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration,
        IEnumerable<EvaluationContext>? additionalContext, CancellationToken cancellationToken)
    {
        Throw.IfNull(messages);
        Throw.IfNull(modelResponse);
        if (EvaluatorSupport.Find<GroundingContext>(additionalContext) is not { Passages.Count: > 0 } grounding)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, $"The case has no contexts ({nameof(GroundingContext)}) to judge."));
        }

        var top = grounding.Passages.Take(_k).ToArray();
        var (_, verdicts, error) = await JudgeCall.AskForArrayAsync(chatConfiguration, "context-precision", new Dictionary<string, string>
        {
            ["question"] = JudgeCall.Question(messages),
            ["reference"] = EvaluatorSupport.Find<ReferenceContext>(additionalContext)?.Reference ?? modelResponse.Text,
            ["contexts"] = JudgeCall.Numbered(top),
        }, "verdicts", cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, error));
        }

        if (JudgeCall.TryReadVerdicts(verdicts, "useful", top.Length, "contexts", out bool[] useful) is { } verdictError)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, verdictError));
        }

        double sum = 0;
        int hits = 0;
        for (int i = 0; i < useful.Length; i++)
        {
            if (useful[i])
            {
                hits++;
                sum += (double)hits / (i + 1);
            }
        }

        string reason = string.Join("\n", verdicts.Select((v, i) => $"[{i + 1}] {(useful[i] ? "useful" : "not useful")}: {JudgeOutput.GetString(v, "reason")}"));
        return new EvaluationResult(EvaluatorSupport.Scored(MetricName, hits == 0 ? 0 : sum / hits, reason));
    }
}
