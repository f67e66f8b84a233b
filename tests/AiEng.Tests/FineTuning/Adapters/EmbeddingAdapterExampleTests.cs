using AiEng.FineTuning;

namespace AiEng.Tests.FineTuning.Adapters;

public sealed class EmbeddingAdapterExampleTests
{
    [Fact]
    public void Defaults_to_no_hard_negatives_no_group_and_weight_one()
    {
        var example = new EmbeddingAdapterExample(new float[] { 1, 0 }, new float[] { 0, 1 });

        Assert.Empty(example.HardNegatives);
        Assert.Null(example.Group);
        Assert.Equal(1f, example.Weight);
    }

    [Fact]
    public void Rejects_empty_vectors_and_a_weight_that_is_not_positive()
    {
        Assert.Equal("query", Assert.Throws<ArgumentException>(() => new EmbeddingAdapterExample(ReadOnlyMemory<float>.Empty, new float[] { 1 })).ParamName);
        Assert.Equal("positive", Assert.Throws<ArgumentException>(() => new EmbeddingAdapterExample(new float[] { 1 }, ReadOnlyMemory<float>.Empty)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingAdapterExample(new float[] { 1 }, new float[] { 1 }) { Weight = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingAdapterExample(new float[] { 1 }, new float[] { 1 }) { Weight = float.NaN });
    }
}
