using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Tests.Evaluation;

/// <summary>Calls an evaluator on a plain response text and reads one numeric metric.</summary>
internal static class EvalCall
{
    public static async Task<NumericMetric> ScoreAsync(IEvaluator evaluator, string response, string metric, params EvaluationContext[] context)
    {
        var result = await evaluator.EvaluateAsync(
            [new ChatMessage(ChatRole.User, "question")], new ChatResponse(new ChatMessage(ChatRole.Assistant, response)), null, context);
        return result.Get<NumericMetric>(metric);
    }

    public static async Task<double> ValueAsync(IEvaluator evaluator, string response, string metric, params EvaluationContext[] context)
    {
        var numeric = await ScoreAsync(evaluator, response, metric, context);
        Assert.True(numeric.Value.HasValue, string.Join("; ", numeric.Diagnostics?.Select(d => d.Message) ?? []));
        return numeric.Value!.Value;
    }
}
