using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Hybrid;

public class ReciprocalRankFusionTests
{
    [Fact]
    public void Sums_one_over_k_plus_rank_across_lists()
    {
        SearchHit[] keyword = [new("a", 12), new("b", 9), new("c", 1)];
        SearchHit[] dense = [new("c", 0.9), new("a", 0.8)];

        var fused = ReciprocalRankFusion.Fuse([keyword, dense]);

        // a: 1/61 + 1/62 = 0.0325225; c: 1/63 + 1/61 = 0.0322664; b: 1/62 = 0.0161290.
        Assert.Equal(["a", "c", "b"], fused.Select(h => h.Id));
        Assert.Equal((1.0 / 61) + (1.0 / 62), fused[0].Score, 12);
        Assert.Equal((1.0 / 63) + (1.0 / 61), fused[1].Score, 12);
        Assert.Equal(1.0 / 62, fused[2].Score, 12);
    }

    [Fact]
    public void Counts_a_repeated_document_at_its_best_rank_and_orders_ties_by_id()
    {
        var fused = ReciprocalRankFusion.Fuse([[new("y", 3), new("x", 2), new("y", 1)], [new("x", 1), new("y", 0)]], k: 1);

        // y: 1/2 + 1/3; x: 1/3 + 1/2 -> equal, so x before y.
        Assert.Equal(["x", "y"], fused.Select(h => h.Id));
        Assert.Equal((1.0 / 2) + (1.0 / 3), fused[1].Score, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReciprocalRankFusion.Fuse([], 0));
    }
}
