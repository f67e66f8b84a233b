using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Retrievers;

public class RerankingRetrieverTests
{
    [Fact]
    public async Task Retrieves_the_candidates_and_keeps_the_best_by_the_reranker()
    {
        ChunkRecord[] records = [.. Enumerable.Range(0, 5).Select(i => Chunks.Record("d", i, $"text {i}"))];
        var inner = Chunks.Fixed(new() { ["q"] = records });
        var reranker = new ReversingReranker();
        var retriever = new RerankingRetriever(inner, reranker, candidateCount: 4);

        var chunks = await retriever.RetrieveAsync("q", 2);

        Assert.Equal(4, inner.Calls[0].Top);
        Assert.Equal(["d#3", "d#2"], chunks.Keys());
        Assert.Throws<ArgumentOutOfRangeException>("candidateCount", () => new RerankingRetriever(inner, reranker, 0));
    }

    private sealed class ReversingReranker : IReranker
    {
        public Task<IReadOnlyList<RetrievedChunk>> RerankAsync(RerankRequest request, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<RetrievedChunk>>(request.Candidates.Reverse().Take(request.Top).ToArray());
    }
}
