using AiEng.Retrieval;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Retrieval.QueryTransformation;

public class MultiQueryRetrieverTests
{
    private static readonly ChunkRecord A = Chunks.Record("d", 0, "a");
    private static readonly ChunkRecord B = Chunks.Record("d", 1, "b");
    private static readonly ChunkRecord C = Chunks.Record("d", 2, "c");

    [Fact]
    public async Task Retrieves_for_the_original_and_each_rephrasing_and_fuses_by_reciprocal_rank()
    {
        var inner = Chunks.Fixed(new()
        {
            ["car price"] = [A],
            ["cost of an automobile"] = [B, A],
            ["vehicle pricing"] = [B],
        });
        var chat = TestChatClient.Replying("Here are 3 rephrasings:\n1. cost of an automobile\n2) \"vehicle pricing\"\n- car price\n");
        var retriever = new MultiQueryRetriever(chat, inner);

        var chunks = await retriever.RetrieveAsync("car price", 5);

        Assert.Equal(["car price", "cost of an automobile", "vehicle pricing"], inner.Calls.Select(c => c.Query).Order(StringComparer.Ordinal));
        Assert.All(inner.Calls, call => Assert.Equal(5, call.Top));

        // b: 1/61 + 1/61; a: 1/61 + 1/62.
        Assert.Equal(["d#1", "d#0"], chunks.Keys());
        Assert.Equal(2.0 / 61, chunks[0].Score, 12);
    }

    [Fact]
    public async Task Reads_a_json_array_and_keeps_at_most_the_query_count()
    {
        var inner = Chunks.Fixed([]);
        var chat = TestChatClient.Replying("```json\n[\"one\", \"two\", \"three\", 4]\n```");
        var retriever = new MultiQueryRetriever(chat, inner, new MultiQueryRetrieverOptions { QueryCount = 2 });

        await retriever.RetrieveAsync("original", 3);

        Assert.Equal(["one", "original", "two"], inner.Calls.Select(c => c.Query).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n \n")]
    [InlineData("```\n```")]
    [InlineData("Rephrasings:")]
    [InlineData("1. car price\n2. CAR PRICE")]
    public async Task Searches_the_original_query_alone_when_the_model_gives_no_usable_rephrasing(string reply)
    {
        var inner = Chunks.Fixed(new() { ["car price"] = [A, C] });
        var retriever = new MultiQueryRetriever(TestChatClient.Replying(reply), inner);

        var chunks = await retriever.RetrieveAsync("car price", 5);

        Assert.Equal([("car price", 5)], inner.Calls);
        Assert.Equal(["d#0", "d#2"], chunks.Keys());
        Assert.Equal(1.0, chunks[0].Score);
    }

    [Fact]
    public async Task Asks_for_the_configured_number_of_rephrasings_with_the_given_options()
    {
        ChatOptions? seen = null;
        string? system = null;
        var chat = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                seen = options;
                system = messages.First().Text;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")));
            },
        };
        var options = new MultiQueryRetrieverOptions { QueryCount = 5, ChatOptions = new ChatOptions { ModelId = "small" } };
        var retriever = new MultiQueryRetriever(chat, Chunks.Fixed([]), options);

        await retriever.RetrieveAsync("q", 1);

        Assert.Contains("Write 5 different rephrasings", system, StringComparison.Ordinal);
        Assert.Equal("small", seen!.ModelId);
        Assert.NotSame(options.ChatOptions, seen);
        Assert.Throws<ArgumentException>("options", () => new MultiQueryRetriever(chat, Chunks.Fixed([]), new MultiQueryRetrieverOptions { QueryCount = 0 }));
        Assert.Throws<ArgumentException>("options", () => new MultiQueryRetriever(chat, Chunks.Fixed([]), new MultiQueryRetrieverOptions { RrfK = 0 }));
    }
}
