using AiEng.FineTuning;

namespace AiEng.Tests.FineTuning.Adapters;

public sealed class EmbeddingAdapterLabelsTests
{
    [Fact]
    public void Hard_negatives_are_the_top_ranked_passages_that_are_not_relevant()
    {
        string[] ranking = ["d1", "d2", "d3", "d2", "d4", "d5", "d6"];

        Assert.Equal(["d2", "d4", "d5"], EmbeddingAdapterLabels.MineHardNegatives(ranking, ["d1", "d3"], count: 3));
        Assert.Equal(["d4", "d5"], EmbeddingAdapterLabels.MineHardNegatives(ranking, ["d1", "d3"], count: 2, skip: 1));
        Assert.Equal(["d2", "d3", "d4", "d5", "d6"], EmbeddingAdapterLabels.MineHardNegatives(ranking, ["d1"], count: 10));
        Assert.Empty(EmbeddingAdapterLabels.MineHardNegatives(ranking, [], count: 0));
    }

    [Fact]
    public void A_pseudo_label_takes_the_teachers_top_passages_as_positives_and_lower_ones_as_negatives()
    {
        string[] ranking = [.. Enumerable.Range(1, 20).Select(i => "d" + i)];

        var label = EmbeddingAdapterLabels.PseudoLabel(ranking, positives: 2, negativesFrom: 5, negatives: 3);

        Assert.Equal(["d1", "d2"], label.Positives);
        Assert.Equal(["d6", "d7", "d8"], label.HardNegatives);
    }

    [Fact]
    public void A_short_ranking_gives_what_it_has()
    {
        var label = EmbeddingAdapterLabels.PseudoLabel(["d1", "d2"]);

        Assert.Equal(["d1"], label.Positives);
        Assert.Empty(label.HardNegatives);
        Assert.Empty(EmbeddingAdapterLabels.PseudoLabel([]).Positives);
    }

    [Fact]
    public void Rejects_arguments_out_of_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingAdapterLabels.MineHardNegatives([], [], count: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingAdapterLabels.PseudoLabel([], positives: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingAdapterLabels.PseudoLabel([], positives: 3, negativesFrom: 2));
    }
}
