using AiEng.FineTuning;

namespace AiEng.Tests.FineTuning.Splitting;

public sealed class FineTuningSplitterTests
{
    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        int[] items = [.. Enumerable.Range(0, 100)];
        FineTuningSplit<int> first = FineTuningSplitter.Split(items, 0.2, seed: 7);
        FineTuningSplit<int> again = FineTuningSplitter.Split(items, 0.2, seed: 7);
        FineTuningSplit<int> other = FineTuningSplitter.Split(items, 0.2, seed: 8);

        Assert.Equal(first.Validation, again.Validation);
        Assert.NotEqual(first.Validation, other.Validation);
        Assert.Equal(20, first.Validation.Count);
        Assert.Equal(items, first.Training.Concat(first.Validation).Order());
        Assert.Equal(first.Training.Order(), first.Training);
    }

    [Fact]
    public void The_split_is_pinned_so_it_cannot_drift_between_platforms_or_versions()
    {
        // A change here changes every user's split: only accept it on purpose.
        FineTuningSplit<int> split = FineTuningSplitter.Split([.. Enumerable.Range(0, 20)], 0.25, seed: 42);
        Assert.Equal([6, 9, 10, 16, 17], split.Validation);
    }

    [Fact]
    public void Stratifying_keeps_each_labels_share()
    {
        var items = Enumerable.Range(0, 100).Select(i => (Id: i, Label: i < 90 ? "common" : "rare")).ToList();
        FineTuningSplit<(int Id, string Label)> split = FineTuningSplitter.Split(items, 0.2, seed: 1, stratifyBy: x => x.Label);

        Assert.Equal(18, split.Validation.Count(x => x.Label == "common"));
        Assert.Equal(2, split.Validation.Count(x => x.Label == "rare"));
    }

    [Fact]
    public void A_label_with_several_items_always_keeps_one_for_training()
    {
        var items = new[] { ("a", "x"), ("b", "x"), ("c", "y") };
        FineTuningSplit<(string, string)> split = FineTuningSplitter.Split(items, 0.9, seed: 3, stratifyBy: x => x.Item2);
        Assert.Contains(split.Training, x => x.Item2 == "x");
    }

    [Fact]
    public void Works_on_examples_by_their_label()
    {
        List<FineTuningExample> examples = [.. TrainingData.Many(10, "billing"), .. TrainingData.Many(10, "shipping")];
        FineTuningSplit<FineTuningExample> split = FineTuningSplitter.Split(examples, 0.2, seed: 5, stratifyBy: e => e.Label);
        Assert.Equal(2, split.Validation.Count(e => e.Label == "billing"));
        Assert.Equal(2, split.Validation.Count(e => e.Label == "shipping"));
    }

    [Fact]
    public void A_fraction_outside_zero_to_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FineTuningSplitter.Split([1, 2], 1.0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FineTuningSplitter.Split([1, 2], -0.1, 0));
    }
}
