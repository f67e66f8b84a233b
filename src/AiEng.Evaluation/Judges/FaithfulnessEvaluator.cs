using System.Text.Json;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// Ragas faithfulness: the fraction of the answer's claims that the retrieved contexts (<see cref="GroundingContext"/>)
/// support. The judge first breaks the answer into claims (<c>faithfulness-claims.prompty</c>), then gives a verdict per
/// claim (<c>faithfulness-verdicts.prompty</c>); score = supported claims / all claims. An answer without claims, malformed
/// judge output or missing contexts give an error diagnostic instead of a value.
/// </summary>
public sealed class FaithfulnessEvaluator : IEvaluator
{
    /// <summary>The metric name: <c>Faithfulness</c>.</summary>
    public const string MetricName = "Faithfulness";

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [MetricName];

    /// <inheritdoc />
    /// <remarks>Every metric returned carries the judge prompt's id and content hash in its metadata under <see cref="JudgePrompts.MetadataKey"/>.</remarks>
    public async ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) =>
        JudgePrompt.Cite(await EvaluateCoreAsync(messages, modelResponse, chatConfiguration, additionalContext, cancellationToken).ConfigureAwait(false), "faithfulness-claims", "faithfulness-verdicts");

    private async ValueTask<EvaluationResult> EvaluateCoreAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration,
        IEnumerable<EvaluationContext>? additionalContext, CancellationToken cancellationToken)
    {
        Throw.IfNull(messages);
        Throw.IfNull(modelResponse);
        if (EvaluatorSupport.Find<GroundingContext>(additionalContext) is not { Passages.Count: > 0 } grounding)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, $"The case has no contexts ({nameof(GroundingContext)}); faithfulness needs the passages the answer was based on."));
        }

        var (_, claimItems, error) = await JudgeCall.AskForArrayAsync(chatConfiguration, "faithfulness-claims", new Dictionary<string, string>
        {
            ["question"] = JudgeCall.Question(messages),
            ["answer"] = modelResponse.Text,
        }, "claims", cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, error));
        }

        string[] claims = claimItems.Where(static c => c.ValueKind == JsonValueKind.String).Select(static c => c.GetString()!).Where(static c => c.Length > 0).ToArray();
        if (claims.Length == 0)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, "The judge found no factual claims in the answer, so faithfulness is undefined."));
        }

        var (_, verdicts, verdictError) = await JudgeCall.AskForArrayAsync(chatConfiguration, "faithfulness-verdicts", new Dictionary<string, string>
        {
            ["contexts"] = JudgeCall.Numbered(grounding.Passages),
            ["claims"] = JudgeCall.Numbered(claims),
        }, "verdicts", cancellationToken).ConfigureAwait(false);
        if (verdictError is not null)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, verdictError));
        }

        if (JudgeCall.TryReadVerdicts(verdicts, "supported", claims.Length, "claims", out bool[] supported) is { } readError)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, readError));
        }

        int yes = supported.Count(static s => s);
        string reason = string.Join("\n", claims.Select((c, i) => $"{(supported[i] ? "supported" : "NOT supported")}: {c} ({JudgeOutput.GetString(verdicts[i], "reason")})"));
        return new EvaluationResult(EvaluatorSupport.Scored(MetricName, (double)yes / claims.Length, reason));
    }
}
