namespace AiEng.Evaluation;

/// <summary>
/// How AiEng's LLM judges (<see cref="LlmJudgeEvaluator"/>, <see cref="FaithfulnessEvaluator"/>,
/// <see cref="AnswerRelevancyEvaluator"/>, <see cref="ContextPrecisionEvaluator"/>, <see cref="ContextRecallEvaluator"/>)
/// cite the prompts they send, so that a score can be traced to the exact judge prompt text.
/// </summary>
public static class JudgePrompts
{
    /// <summary>
    /// The key under which every metric of an AiEng judge carries, in <see cref="Microsoft.Extensions.AI.Evaluation.EvaluationMetric.Metadata"/>
    /// (and <see cref="MetricScore.Metadata"/> in a run), the judge prompts the evaluator uses: <c>name@version sha256:hash</c>,
    /// comma-separated when it uses more than one (faithfulness first extracts claims, then checks them). The hash is the
    /// prompt file's <see cref="AiEng.Prompts.PromptId.ContentHash"/>, so a changed prompt shows up as a changed value.
    /// </summary>
    public const string MetadataKey = "aieng.judge_prompt";
}
