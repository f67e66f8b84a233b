using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Tokens;

public sealed class ChatTokenEstimatorTests
{
    private static readonly ITokenCounter Counter = TiktokenTokenCounter.O200kBase;

    [Fact]
    public void Adds_three_tokens_per_message_and_three_to_prime_the_reply()
    {
        // 3 (priming) + 3 (framing) + 1 ("user") + 2 ("hello world").
        Assert.Equal(9, ChatTokenEstimator.CountTokens(Counter, [new ChatMessage(ChatRole.User, "hello world")]));
    }

    [Fact]
    public void Adds_one_token_and_the_name_for_a_named_message()
    {
        var unnamed = new ChatMessage(ChatRole.User, "hello world");
        var named = new ChatMessage(ChatRole.User, "hello world") { AuthorName = "alice" };

        int difference = ChatTokenEstimator.CountTokens(Counter, [named]) - ChatTokenEstimator.CountTokens(Counter, [unnamed]);

        Assert.Equal(ChatTokenEstimator.TokensPerName + Counter.CountTokens("alice"), difference);
    }

    [Fact]
    public void Counts_every_message_and_the_instructions()
    {
        ChatMessage[] messages = [new(ChatRole.System, "You are terse."), new(ChatRole.User, "Hello, world!")];
        int expected = ChatTokenEstimator.ReplyPrimingTokens
            + (2 * ChatTokenEstimator.TokensPerMessage) + Counter.CountTokens("system") + Counter.CountTokens("You are terse.")
            + Counter.CountTokens("user") + Counter.CountTokens("Hello, world!");

        Assert.Equal(expected, ChatTokenEstimator.CountTokens(Counter, messages));
        Assert.Equal(
            expected + ChatTokenEstimator.TokensPerMessage + Counter.CountTokens("system") + Counter.CountTokens("Be kind."),
            ChatTokenEstimator.CountTokens(Counter, messages, new ChatOptions { Instructions = "Be kind." }));
    }

    [Fact]
    public void Counts_function_call_names_and_arguments()
    {
        var call = new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" });

        int count = ChatTokenEstimator.CountContentTokens(Counter, [call]);

        Assert.Equal(Counter.CountTokens("get_weather") + Counter.CountTokens("{\"city\":\"Paris\"}"), count);
    }

    [Fact]
    public void Ignores_binary_content()
    {
        Assert.Equal(0, ChatTokenEstimator.CountContentTokens(Counter, [new DataContent(new byte[] { 1, 2, 3 }, "image/png")]));
    }
}
