using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// Ragas context recall: the judge breaks the reference answer into statements and decides whether each can be
/// attributed to the retrieved contexts (<c>context-recall.prompty</c>); score = attributed statements / all statements.
/// Needs a reference and contexts; without them the metric gets an error diagnostic.
/// </summary>
public sealed class ContextRecallEvaluator : IEvaluator
{
    /// <summary>The metric name: <c>Context Recall</c>.</summary>
    public const string MetricName = "Context Recall";

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [MetricName];

    /// <inheritdoc />
    /// <remarks>Every metric returned carries the judge prompt's id and content hash in its metadata under <see cref="JudgePrompts.MetadataKey"/>.</remarks>
    public async ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) =>
        JudgePrompt.Cite(await EvaluateCoreAsync(messages, modelResponse, chatConfiguration, additionalContext, cancellationToken).ConfigureAwait(false), "context-recall");

    private async ValueTask<EvaluationResult> EvaluateCoreAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration,
        IEnumerable<EvaluationContext>? additionalContext, CancellationToken cancellationToken)
    {
        Throw.IfNull(messages);
        if (EvaluatorSupport.Find<ReferenceContext>(additionalContext) is not { } reference)
        {
            return new EvaluationResult(EvaluatorSupport.MissingReference(MetricName));
        }

        if (EvaluatorSupport.Find<GroundingContext>(additionalContext) is not { Passages.Count: > 0 } grounding)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, $"The case has no contexts ({nameof(GroundingContext)}) to attribute the reference to."));
        }

        var (_, statements, error) = await JudgeCall.AskForArrayAsync(chatConfiguration, "context-recall", new Dictionary<string, string>
        {
            ["question"] = JudgeCall.Question(messages),
            ["reference"] = reference.Reference,
            ["contexts"] = JudgeCall.Numbered(grounding.Passages),
        }, "statements", cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, error));
        }

        bool?[] attributed = statements.Select(static s => JudgeCall.Verdict(s, "attributed")).ToArray();
        if (attributed.Length == 0 || attributed.Any(static a => a is null))
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, "The judge returned no statements, or a statement without a yes/no 'attributed'."));
        }

        string reason = string.Join("\n", statements.Select((s, i) => $"{(attributed[i] == true ? "attributed" : "NOT attributed")}: {JudgeOutput.GetString(s, "statement")}"));
        return new EvaluationResult(EvaluatorSupport.Scored(MetricName, (double)attributed.Count(static a => a == true) / attributed.Length, reason));
    }
}
