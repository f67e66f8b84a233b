using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Tests.Evaluation.Judges;

/// <summary>Judges for tests: a TestChatClient that answers by which prompt it receives.</summary>
internal static class JudgeFakes
{
    public static (ChatConfiguration Configuration, TestChatClient Client) Replying(Func<string, string> reply)
    {
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                Assert.Equal(0f, options?.Temperature);
                string prompt = string.Join("\n", messages.Select(m => m.Text));
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply(prompt))));
            },
        };
        return (new ChatConfiguration(client), client);
    }

    public static async Task<NumericMetric> ScoreAsync(IEvaluator evaluator, ChatConfiguration? judge, string answer, string metric, params EvaluationContext[] context)
    {
        var result = await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "What is the capital of France?")], new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)), judge, context);
        return result.Get<NumericMetric>(metric);
    }

    public static void AssertUnscored(NumericMetric metric, string expected)
    {
        Assert.Null(metric.Value);
        var diagnostic = Assert.Single(metric.Diagnostics!);
        Assert.Equal(EvaluationDiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(expected, diagnostic.Message, StringComparison.Ordinal);
    }
}
