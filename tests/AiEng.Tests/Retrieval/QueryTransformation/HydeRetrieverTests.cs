using AiEng.Retrieval;
using AiEng.Testing;

namespace AiEng.Tests.Retrieval.QueryTransformation;

public class HydeRetrieverTests
{
    private const string Passage = "Solar panels turn sunlight into electricity with photovoltaic cells.";
    private static readonly ChunkRecord A = Chunks.Record("d", 0, "a");
    private static readonly ChunkRecord B = Chunks.Record("d", 1, "b");

    [Fact]
    public async Task Searches_with_the_hypothetical_passage_fused_with_the_query()
    {
        var inner = Chunks.Fixed(new() { [Passage] = [B, A], ["how do solar panels work"] = [A] });
        var retriever = new HydeRetriever(TestChatClient.Replying("```\n" + Passage + "\n```"), inner);

        var chunks = await retriever.RetrieveAsync("how do solar panels work", 3);

        Assert.Equal([Passage, "how do solar panels work"], inner.Calls.Select(c => c.Query).Order(StringComparer.Ordinal));

        // a: 1/62 + 1/61; b: 1/61.
        Assert.Equal(["d#0", "d#1"], chunks.Keys());
    }

    [Fact]
    public async Task Searches_with_the_passage_alone_when_the_original_query_is_left_out()
    {
        var inner = Chunks.Fixed(new() { [Passage] = [B, A] });
        var retriever = new HydeRetriever(TestChatClient.Replying(Passage), inner, new HydeRetrieverOptions { IncludeOriginalQuery = false });

        var chunks = await retriever.RetrieveAsync("how do solar panels work", 3);

        Assert.Equal([(Passage, 3)], inner.Calls);
        Assert.Equal(["d#1", "d#0"], chunks.Keys());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    [InlineData("```\n```")]
    public async Task Falls_back_to_the_query_when_the_model_writes_nothing(string reply)
    {
        var inner = Chunks.Fixed(new() { ["q"] = [A] });
        var retriever = new HydeRetriever(TestChatClient.Replying(reply), inner);

        var chunks = await retriever.RetrieveAsync("q", 2);

        Assert.Equal([("q", 2)], inner.Calls);
        Assert.Equal(["d#0"], chunks.Keys());
        Assert.Throws<ArgumentException>("options", () => new HydeRetriever(TestChatClient.Replying(""), inner, new HydeRetrieverOptions { RrfK = 0 }));
    }
}
