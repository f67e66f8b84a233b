using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Hybrid;

public class NormalizedScoreFusionTests
{
    [Fact]
    public void Min_max_normalises_each_list_and_sums_with_weights()
    {
        SearchHit[] keyword = [new("a", 12), new("b", 9), new("c", 4)];
        SearchHit[] dense = [new("c", 0.9), new("d", 0.7), new("a", 0.5)];

        var fused = NormalizedScoreFusion.Fuse([keyword, dense], [0.3, 0.7]);

        // keyword normalised: a (12-4)/8 = 1, b 5/8 = 0.625, c 0. dense: c 1, d 0.5, a 0.
        // fused: a = 0.3; b = 0.3 * 0.625 = 0.1875; c = 0.7; d = 0.35.
        Assert.Equal(["c", "d", "a", "b"], fused.Select(h => h.Id));
        Assert.Equal([0.7, 0.35, 0.3, 0.1875], fused.Select(h => Math.Round(h.Score, 12)));
    }

    [Fact]
    public void Gives_a_list_of_equal_scores_full_weight_and_skips_empty_lists()
    {
        var fused = NormalizedScoreFusion.Fuse([[new("a", 2), new("b", 2)], []], [0.5, 0.5]);

        Assert.Equal([new SearchHit("a", 0.5), new SearchHit("b", 0.5)], fused);
    }

    [Fact]
    public void Rejects_a_weight_count_that_differs_from_the_list_count_and_negative_weights()
    {
        Assert.Throws<ArgumentException>(() => NormalizedScoreFusion.Fuse([[]], [0.5, 0.5]));
        Assert.Throws<ArgumentException>(() => NormalizedScoreFusion.Fuse([[]], [-1]));
    }
}
