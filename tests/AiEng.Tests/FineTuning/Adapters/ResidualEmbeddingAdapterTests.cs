using AiEng.FineTuning;
using static AiEng.Tests.FineTuning.Adapters.EmbeddingAdapterTestData;

namespace AiEng.Tests.FineTuning.Adapters;

public sealed class ResidualEmbeddingAdapterTests
{
    [Fact]
    public void A_new_adapter_is_the_identity_whatever_its_seed()
    {
        float[] input = UnitVector(new Random(2), 10);

        foreach (int seed in new[] { 1, 2, 3 })
        {
            float[] output = new ResidualEmbeddingAdapter(Model, 10, hiddenSize: 6, seed: seed).Transform(input);
            Assert.Equal(input, output, (a, b) => Math.Abs(a - b) < 1e-6f);
        }
    }

    [Fact]
    public void Reports_its_shape()
    {
        var adapter = new ResidualEmbeddingAdapter(Model, 10, hiddenSize: 6);

        Assert.Equal(EmbeddingAdapterKind.Residual, adapter.Kind);
        Assert.Equal(6, adapter.HiddenSize);
        Assert.Equal((2 * 6 * 10) + 6 + 10, adapter.ParameterCount);
    }

    [Fact]
    public void The_same_seed_gives_the_same_initial_parameters()
    {
        var first = new ResidualEmbeddingAdapter(Model, 10, hiddenSize: 6, seed: 7);
        var second = new ResidualEmbeddingAdapter(Model, 10, hiddenSize: 6, seed: 7);
        var other = new ResidualEmbeddingAdapter(Model, 10, hiddenSize: 6, seed: 8);

        Assert.Equal(first.Parameters, second.Parameters);
        Assert.NotEqual(first.Parameters, other.Parameters);
    }

    [Fact]
    public void Rejects_a_hidden_size_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResidualEmbeddingAdapter(Model, 10, hiddenSize: 0));
    }
}
