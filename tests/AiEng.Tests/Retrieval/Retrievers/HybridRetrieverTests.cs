using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Retrievers;

public class HybridRetrieverTests
{
    private static readonly ChunkRecord A = Chunks.Record("d", 0, "a");
    private static readonly ChunkRecord B = Chunks.Record("d", 1, "b");
    private static readonly ChunkRecord C = Chunks.Record("d", 2, "c");

    [Fact]
    public async Task Fuses_normalised_scores_with_equal_weights_by_default_and_asks_each_retriever_for_the_candidate_depth()
    {
        // Keyword scores 1, 0.9, 0.8 normalise to 1, 0.5, 0; dense scores 1, 0.9 to 1, 0.
        var keyword = Chunks.Fixed(new() { ["q"] = [A, B, C] });
        var dense = Chunks.Fixed(new() { ["q"] = [B, C] });
        var retriever = new HybridRetriever([keyword, dense]);

        var chunks = await retriever.RetrieveAsync("q", 2);

        // b: 0.5 + 1; a: 1 + 0 (absent from dense); c: 0 + 0 (cut).
        Assert.Equal(["d#1", "d#0"], chunks.Keys());
        Assert.Equal([1.5, 1.0], chunks.Select(c => Math.Round(c.Score, 9)));
        Assert.Same(B, chunks[0].Chunk);
        Assert.Equal(200, HybridRetrieverOptions.DefaultCandidateDepth);
        Assert.Equal(("q", HybridRetrieverOptions.DefaultCandidateDepth), Assert.Single(keyword.Calls));
        Assert.Equal(("q", HybridRetrieverOptions.DefaultCandidateDepth), Assert.Single(dense.Calls));
    }

    [Fact]
    public async Task Fuses_by_reciprocal_rank_with_k_60_when_asked()
    {
        var keyword = Chunks.Fixed(new() { ["q"] = [A, B, C] });
        var dense = Chunks.Fixed(new() { ["q"] = [C, A] });
        var retriever = new HybridRetriever([keyword, dense], new HybridRetrieverOptions { Fusion = FusionMethod.ReciprocalRank });

        var chunks = await retriever.RetrieveAsync("q", 2);

        // a: 1/61 + 1/62; c: 1/63 + 1/61; b: 1/62 (cut).
        Assert.Equal(["d#0", "d#2"], chunks.Keys());
        Assert.Equal((1.0 / 61) + (1.0 / 62), chunks[0].Score, 12);
        Assert.Same(A, chunks[0].Chunk);
    }

    [Fact]
    public async Task Fuses_by_normalised_weighted_scores_when_asked()
    {
        // Scores 1, 0.9, 0.8 normalise to 1, 0.5, 0; scores 1, 0.9 to 1, 0.
        var keyword = Chunks.Fixed(new() { ["q"] = [A, B, C] });
        var dense = Chunks.Fixed(new() { ["q"] = [C, B] });
        var retriever = new HybridRetriever([keyword, dense], new HybridRetrieverOptions { Fusion = FusionMethod.NormalizedScore, Weights = [0.25, 0.75], CandidateDepth = 3 });

        var chunks = await retriever.RetrieveAsync("q", 5);

        // c: 0 + 0.75; a: 0.25; b: 0.125 + 0.
        Assert.Equal(["d#2", "d#0", "d#1"], chunks.Keys());
        Assert.Equal([0.75, 0.25, 0.125], chunks.Select(c => Math.Round(c.Score, 9)));
        Assert.Equal(5, keyword.Calls[0].Top);
    }

    [Fact]
    public async Task Retrieves_at_least_as_deep_as_asked()
    {
        var keyword = Chunks.Fixed(new() { ["q"] = [A] });
        var retriever = new HybridRetriever([keyword], new HybridRetrieverOptions { CandidateDepth = 1 });

        await retriever.RetrieveAsync("q", 7);

        Assert.Equal(7, keyword.Calls[0].Top);
    }

    [Fact]
    public void Validates_and_copies_its_options()
    {
        var one = Chunks.Fixed([]);
        Assert.Throws<ArgumentException>("retrievers", () => new HybridRetriever([]));
        Assert.Throws<ArgumentNullException>("retrievers", () => new HybridRetriever([one, null!]));
        Assert.Throws<ArgumentException>("options", () => new HybridRetriever([one], new HybridRetrieverOptions { RrfK = 0 }));
        Assert.Throws<ArgumentException>("options", () => new HybridRetriever([one], new HybridRetrieverOptions { CandidateDepth = 0 }));
        Assert.Throws<ArgumentException>("options", () => new HybridRetriever([one], new HybridRetrieverOptions { Weights = [1, 1] }));
        Assert.Throws<ArgumentException>("options", () => new HybridRetriever([one], new HybridRetrieverOptions { Weights = [-1] }));
        Assert.Throws<ArgumentException>("options", () => new HybridRetriever([one], new HybridRetrieverOptions { Fusion = (FusionMethod)7 }));
    }
}
