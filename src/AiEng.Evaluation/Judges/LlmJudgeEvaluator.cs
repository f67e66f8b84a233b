using System.Globalization;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// An LLM-as-judge that scores one criterion from 1 to 5 with its reasoning (G-Eval style: the criterion and explicit
/// evaluation steps in the prompt, reasoning before the score, temperature 0). Use the built-in criteria
/// (<see cref="Relevance"/>, <see cref="Correctness"/>, <see cref="Coherence"/>) or write a custom rubric with the constructor.
/// </summary>
/// <remarks>
/// The judge is the chat client of the <see cref="ChatConfiguration"/> passed to <see cref="EvaluateAsync"/>. Malformed
/// output, a score outside 1 to 5 or a failed call give a metric without a value and an error diagnostic; never an
/// exception, never NaN. The prompt is the embedded <c>score.prompty</c> file.
/// </remarks>
public sealed class LlmJudgeEvaluator : IEvaluator
{
    private readonly string _metric;
    private readonly string _criteria;
    private readonly string _steps;
    private readonly bool _needsReference;

    /// <summary>Initializes a new instance of the <see cref="LlmJudgeEvaluator"/> class with a custom rubric.</summary>
    /// <param name="metricName">The metric name, for example <c>Politeness</c>.</param>
    /// <param name="criteria">What a good response does on this criterion, and what 1 and 5 mean.</param>
    /// <param name="steps">The evaluation steps the judge follows, one per line.</param>
    /// <param name="requiresReference">Whether the case's reference is needed (missing reference gives a diagnostic).</param>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    public LlmJudgeEvaluator(string metricName, string criteria, string steps, bool requiresReference = false)
    {
        _metric = Throw.IfNullOrWhitespace(metricName);
        _criteria = Throw.IfNullOrWhitespace(criteria);
        _steps = Throw.IfNullOrWhitespace(steps);
        _needsReference = requiresReference;
        EvaluationMetricNames = [_metric];
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; }

    /// <summary>Creates the <c>Relevance</c> judge: does the response address the question?</summary>
    /// <returns>The evaluator.</returns>
    public static LlmJudgeEvaluator Relevance() => new(
        "Relevance",
        "Relevance: the response addresses the user's question directly and completely, without unrelated content. 1 = off-topic; 5 = fully on point.",
        "1. Identify what the question asks.\n2. Check whether each part of the response helps answer it.\n3. Penalise missing parts and irrelevant content.\n4. Choose the score.");

    /// <summary>Creates the <c>Correctness</c> judge: does the response agree with the reference answer? Needs a reference.</summary>
    /// <returns>The evaluator.</returns>
    public static LlmJudgeEvaluator Correctness() => new(
        "Correctness",
        "Correctness: the response states the same facts as the reference answer and contradicts none of them. 1 = wrong or contradicting; 5 = fully correct.",
        "1. List the key facts of the reference answer.\n2. Check each against the response: present, missing or contradicted.\n3. Contradictions weigh most, then missing key facts.\n4. Choose the score.",
        requiresReference: true);

    /// <summary>Creates the <c>Coherence</c> judge: is the response well organised and logically consistent?</summary>
    /// <returns>The evaluator.</returns>
    public static LlmJudgeEvaluator Coherence() => new(
        "Coherence",
        "Coherence: the response is well structured, its sentences follow logically, and it does not contradict itself. 1 = incoherent; 5 = clear and consistent.",
        "1. Read the response for its overall structure.\n2. Check that each sentence follows from the previous ones.\n3. Look for self-contradictions and abrupt jumps.\n4. Choose the score.");

    /// <inheritdoc />
    /// <remarks>Every metric returned carries the judge prompt's id and content hash in its metadata under <see cref="JudgePrompts.MetadataKey"/>.</remarks>
    public async ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) =>
        JudgePrompt.Cite(await EvaluateCoreAsync(messages, modelResponse, chatConfiguration, additionalContext, cancellationToken).ConfigureAwait(false), "score");

    private async ValueTask<EvaluationResult> EvaluateCoreAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration,
        IEnumerable<EvaluationContext>? additionalContext, CancellationToken cancellationToken)
    {
        Throw.IfNull(messages);
        Throw.IfNull(modelResponse);
        var reference = EvaluatorSupport.Find<ReferenceContext>(additionalContext);
        if (_needsReference && reference is null)
        {
            return new EvaluationResult(EvaluatorSupport.MissingReference(_metric));
        }

        var (root, error) = await JudgeCall.AskAsync(chatConfiguration, "score", new Dictionary<string, string>
        {
            ["metric"] = _metric,
            ["criteria"] = _criteria,
            ["steps"] = _steps,
            ["question"] = JudgeCall.Question(messages),
            ["answer"] = modelResponse.Text,
            ["reference"] = reference?.Reference ?? string.Empty,
        }, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(_metric, error));
        }

        string? reasoning = JudgeOutput.GetString(root, "reasoning");
        if (!JudgeOutput.TryGetNumber(root, "score", out double score))
        {
            var missing = EvaluatorSupport.Unscored(_metric, "The judge's JSON has no numeric 'score'.");
            missing.Reason = reasoning;
            return new EvaluationResult(missing);
        }

        if (score < 1 || score > 5)
        {
            var outOfRange = EvaluatorSupport.Unscored(_metric, string.Create(CultureInfo.InvariantCulture, $"The judge's score {score} is outside 1 to 5; it is not reported."));
            outOfRange.Reason = reasoning;
            return new EvaluationResult(outOfRange);
        }

        var metric = EvaluatorSupport.Scored(_metric, score, reasoning);
        metric.Interpretation = new EvaluationMetricInterpretation(
            score >= 4.5 ? EvaluationRating.Exceptional : score >= 3.5 ? EvaluationRating.Good : score >= 2.5 ? EvaluationRating.Average : score >= 1.5 ? EvaluationRating.Poor : EvaluationRating.Unacceptable,
            failed: score < 3);
        return new EvaluationResult(metric);
    }
}
