using AiEng.FineTuning;
using static AiEng.Tests.FineTuning.Adapters.EmbeddingAdapterTestData;

namespace AiEng.Tests.FineTuning.Adapters;

public sealed class LinearEmbeddingAdapterTests
{
    [Fact]
    public void A_new_adapter_is_the_identity()
    {
        var adapter = new LinearEmbeddingAdapter(Model, 8);
        float[] input = UnitVector(new Random(1), 8);

        float[] output = adapter.Transform(input);

        Assert.Equal(input, output, (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal(EmbeddingAdapterKind.Linear, adapter.Kind);
        Assert.Equal((8 * 8) + 8, adapter.ParameterCount);
        Assert.Equal(0, adapter.HiddenSize);
    }

    [Fact]
    public void Normalises_its_output_unless_told_not_to()
    {
        float[] input = [3, 4];

        Assert.Equal([0.6f, 0.8f], new LinearEmbeddingAdapter(Model, 2).Transform(input));
        Assert.Equal([3f, 4f], new LinearEmbeddingAdapter(Model, 2, normalize: false).Transform(input));
    }

    [Fact]
    public void Rejects_a_vector_of_another_dimension_count_naming_both()
    {
        var adapter = new LinearEmbeddingAdapter(Model, 4);

        var error = Assert.Throws<ArgumentException>(() => adapter.Transform(new float[3]));

        Assert.Contains("3 values", error.Message, StringComparison.Ordinal);
        Assert.Contains("4", error.Message, StringComparison.Ordinal);
        Assert.Equal("input", error.ParamName);
    }

    [Fact]
    public void Rejects_a_missing_model_id_and_a_dimension_count_below_one()
    {
        Assert.Throws<ArgumentException>(() => new LinearEmbeddingAdapter(" ", 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearEmbeddingAdapter(Model, 0));
    }
}
