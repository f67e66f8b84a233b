using AiEng.FineTuning;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.FineTuning;

/// <summary>Small chat examples shared by the fine-tuning tests.</summary>
internal static class TrainingData
{
    public static FineTuningExample Chat(string question, string answer, string? label = null, string system = "You classify support tickets.") =>
        new([new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, question), new ChatMessage(ChatRole.Assistant, answer)])
        {
            Label = label,
        };

    public static List<FineTuningExample> Many(int count, string? label = null) =>
        Enumerable.Range(0, count).Select(i => Chat($"Question number {i} about topic {i * 7919 % 101}", $"Answer {i}", label)).ToList();
}
