using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Inference.Cascade;

/// <summary>Models that answer by a rule of the question, and pipelines that track their usage in one ledger.</summary>
internal static class CascadeTestKit
{
    public const string Refusal = "I'm sorry, but I cannot answer that.";

    /// <summary>A model named <paramref name="name"/> that answers the last user message with <paramref name="answer"/>, and reports 100 input and 10 output tokens.</summary>
    public static TestChatClient Model(string name, Func<string, string> answer) => new()
    {
        Metadata = new ChatClientMetadata("test", null, name),
        GetResponseAsyncCallback = (messages, _, cancellationToken) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            string question = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(question)))
            {
                ModelId = name,
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 },
            });
        },
    };

    /// <summary>A model that gives the same answer to every question.</summary>
    public static TestChatClient Model(string name, string answer) => Model(name, _ => answer);

    /// <summary>A model that throws <paramref name="exception"/> on every call.</summary>
    public static TestChatClient Failing(string name, Exception exception) => new()
    {
        Metadata = new ChatClientMetadata("test", null, name),
        GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(exception),
    };

    /// <summary>A model's pipeline with usage tracking into <paramref name="ledger"/>, as AiEng builds each model's.</summary>
    public static IChatClient Tracked(IChatClient model, UsageLedger ledger) => model.AsBuilder().UseUsageTracking(ledger).Build();

    public static string[] Rejections(ChatResponse response) => (string[])response.AdditionalProperties![CascadeProperties.Rejections]!;

    public static async Task<List<ChatResponseUpdate>> ReadAllAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in updates)
        {
            list.Add(update);
        }

        return list;
    }
}
