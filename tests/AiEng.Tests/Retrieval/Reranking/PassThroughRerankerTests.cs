using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Reranking;

public class PassThroughRerankerTests
{
    [Fact]
    public async Task Keeps_the_retriever_order_and_scores_and_cuts_to_top()
    {
        var candidates = Chunks.Ranked(Chunks.Record("d", 0, "a"), Chunks.Record("d", 1, "b"), Chunks.Record("d", 2, "c"));

        var kept = await PassThroughReranker.Instance.RerankAsync("q", candidates, 2);

        Assert.Equal(["d#0", "d#1"], kept.Keys());
        Assert.Equal([candidates[0], candidates[1]], kept);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("top", () => PassThroughReranker.Instance.RerankAsync("q", candidates, 0));
    }
}
