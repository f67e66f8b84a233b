using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Reranking;

public class MmrTests
{
    private static readonly ReadOnlyMemory<float> Query = new float[] { 1, 0, 0 };

    // 0 and 1 are near-duplicates close to the query; 2 is less relevant but different.
    private static readonly ReadOnlyMemory<float>[] Candidates =
    [
        new float[] { 0.9f, 0.1f, 0 },
        new float[] { 0.9f, 0.12f, 0 },
        new float[] { 0.6f, 0, 0.8f },
    ];

    [Fact]
    public void Ranks_by_relevance_only_with_lambda_one()
    {
        var picks = Mmr.Select(Query, Candidates, 3, lambda: 1);

        Assert.Equal([0, 1, 2], picks.Select(p => p.Index));
    }

    [Fact]
    public void Prefers_a_different_candidate_to_a_near_duplicate_with_the_default_lambda()
    {
        var picks = Mmr.Select(Query, Candidates, 2);

        Assert.Equal([0, 2], picks.Select(p => p.Index));

        // The first pick scores lambda * cos(query, c0).
        double cosine = 0.9 / Math.Sqrt((0.9 * 0.9) + (0.1 * 0.1));
        Assert.Equal(0.5 * cosine, picks[0].Score, 6);
    }

    [Fact]
    public void Checks_lambda_top_and_dimensions()
    {
        Assert.Throws<ArgumentOutOfRangeException>("lambda", () => Mmr.Select(Query, Candidates, 1, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>("top", () => Mmr.Select(Query, Candidates, 0));
        Assert.Throws<ArgumentException>("candidates", () => Mmr.Select(Query, [new float[] { 1, 0 }], 1));
        Assert.Empty(Mmr.Select(Query, [], 3));
    }
}
