using Microsoft.Extensions.AI;

namespace AiEng.Testing.Tests;

public sealed class TestChatClientTests
{
    [Fact]
    public async Task Invokes_the_callback_with_the_messages_and_options()
    {
        IEnumerable<ChatMessage>? seenMessages = null;
        ChatOptions? seenOptions = null;
        using var client = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                seenMessages = messages;
                seenOptions = options;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
            },
        };
        var options = new ChatOptions { Temperature = 0.1f };

        var response = await client.GetResponseAsync("question", options);

        Assert.Equal("ok", response.Text);
        Assert.Equal("question", Assert.Single(seenMessages!).Text);
        Assert.Same(options, seenOptions);
        Assert.Equal(1, client.CallCount);
    }

    [Fact]
    public async Task Throws_when_no_callback_is_set()
    {
        using var client = new TestChatClient();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("x"));
        Assert.Throws<InvalidOperationException>(() => client.GetStreamingResponseAsync("x"));
    }

    [Fact]
    public async Task Streams_from_the_non_streaming_callback_when_no_streaming_callback_is_set()
    {
        using var client = TestChatClient.Replying("streamed text", new UsageDetails { InputTokenCount = 5, OutputTokenCount = 2 });

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("x"))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("streamed text", response.Text);
        Assert.Equal(5, response.Usage?.InputTokenCount);
        Assert.Equal(1, client.CallCount);
    }

    [Fact]
    public async Task Uses_the_streaming_callback_when_set()
    {
        using var client = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, _) => new[] { new ChatResponseUpdate(ChatRole.Assistant, "a"), new ChatResponseUpdate(ChatRole.Assistant, "b") }.ToAsyncEnumerable(),
        };

        var texts = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync("x"))
        {
            texts.Add(update.Text);
        }

        Assert.Equal(["a", "b"], texts);
        Assert.Equal(1, client.CallCount);
    }

    [Fact]
    public async Task Counts_every_call()
    {
        using var client = TestChatClient.Replying("r");

        await client.GetResponseAsync("1");
        await client.GetResponseAsync("2");
        await foreach (var _ in client.GetStreamingResponseAsync("3"))
        {
        }

        Assert.Equal(3, client.CallCount);
    }

    [Fact]
    public void Returns_its_metadata_and_itself_as_services()
    {
        using var client = new TestChatClient();

        Assert.Same(client.Metadata, client.GetService<ChatClientMetadata>());
        Assert.Same(client, client.GetService<TestChatClient>());
        Assert.Null(client.GetService<TestChatClient>("key"));
    }
}
