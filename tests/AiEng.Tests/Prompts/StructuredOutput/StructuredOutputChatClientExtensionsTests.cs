using AiEng.Prompts;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Prompts.StructuredOutput;

public class StructuredOutputChatClientExtensionsTests
{
    public sealed record Ticket(string Category, int Priority);

    private static TestChatClient Replies(List<List<ChatMessage>> seen, params string[] replies)
    {
        int call = 0;
        return new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                seen.Add([.. messages]);
                Assert.IsType<ChatResponseFormatJson>(options?.ResponseFormat);
                string reply = replies[Math.Min(call++, replies.Length - 1)];
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 } });
            },
        };
    }

    [Fact]
    public async Task Returns_a_valid_reply_on_the_first_attempt_and_reads_json_from_a_fenced_block()
    {
        var seen = new List<List<ChatMessage>>();
        TestChatClient client = Replies(seen, "Here you go:\n```json\n{\"category\":\"billing\",\"priority\":2}\n```");

        StructuredResponse<Ticket> result = await client.GetValidatedResponseAsync<Ticket>([new ChatMessage(ChatRole.User, "classify")]);

        Assert.Equal(new Ticket("billing", 2), result.Result);
        Assert.Equal(1, result.Attempts);
        Assert.Single(seen);
    }

    [Fact]
    public async Task Sends_the_validation_errors_back_and_returns_the_repaired_reply()
    {
        var seen = new List<List<ChatMessage>>();
        TestChatClient client = Replies(seen, "{\"category\":\"billing\",\"priority\":\"high\"}", "{\"category\":\"billing\",\"priority\":1}");
        var conversation = new List<ChatMessage> { new(ChatRole.User, "classify") };

        StructuredResponse<Ticket> result = await client.GetValidatedResponseAsync<Ticket>(conversation);

        Assert.Equal(new Ticket("billing", 1), result.Result);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(20, result.Usage!.InputTokenCount);
        Assert.Single(conversation);
        ChatMessage repair = seen[1][^1];
        Assert.Equal(ChatRole.User, repair.Role);
        Assert.Contains("/priority", repair.Text, StringComparison.Ordinal);
        Assert.Equal(ChatRole.Assistant, seen[1][^2].Role);
    }

    [Fact]
    public async Task Fails_after_the_repair_attempts_listing_every_validation_failure()
    {
        var seen = new List<List<ChatMessage>>();
        TestChatClient client = Replies(seen, "{\"priority\":\"high\"}");

        StructuredOutputException error = await Assert.ThrowsAsync<StructuredOutputException>(
            () => client.GetValidatedResponseAsync<Ticket>([new ChatMessage(ChatRole.User, "x")], structuredOutputOptions: new StructuredOutputOptions { MaxRepairAttempts = 1 }));

        Assert.Equal(2, error.Attempts);
        Assert.Equal(2, seen.Count);
        Assert.True(error.Errors.Count >= 2, string.Join(" | ", error.Errors));
        Assert.Contains(error.Errors, e => e.Contains("/priority", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("category", StringComparison.Ordinal));
        Assert.Equal("{\"priority\":\"high\"}", error.LastOutput);
    }

    [Fact]
    public async Task Reports_a_reply_that_is_not_json()
    {
        TestChatClient client = Replies([], "I cannot do that.");

        StructuredOutputException error = await Assert.ThrowsAsync<StructuredOutputException>(
            () => client.GetValidatedResponseAsync<Ticket>([new ChatMessage(ChatRole.User, "x")], structuredOutputOptions: new StructuredOutputOptions { MaxRepairAttempts = 0 }));

        Assert.Contains("not valid JSON", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_reply_nested_deeper_than_the_json_reader_allows_with_a_clear_error()
    {
        string nested = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);
        TestChatClient client = Replies([], nested);

        StructuredOutputException error = await Assert.ThrowsAsync<StructuredOutputException>(
            () => client.GetValidatedResponseAsync<Ticket>([new ChatMessage(ChatRole.User, "x")], structuredOutputOptions: new StructuredOutputOptions { MaxRepairAttempts = 0 }));

        string message = Assert.Single(error.Errors);
        Assert.Contains("not valid JSON", message, StringComparison.Ordinal);
        Assert.Contains("depth of 64", message, StringComparison.Ordinal);
    }
}
