using AiEng.Inference;

namespace AiEng.Tests.Inference.Usage;

public sealed class ModelPriceTests
{
    [Fact]
    public void Prices_uncached_cached_and_output_tokens_at_their_own_rates()
    {
        var price = new ModelPrice { InputPerMillion = 3m, OutputPerMillion = 15m, CachedInputPerMillion = 0.3m };

        Assert.Equal(((1_500 * 3m) + (500 * 0.3m) + (200 * 15m)) / 1_000_000m, price.GetCost(2_000, 200, 500));
    }

    [Fact]
    public void Never_counts_more_cached_tokens_than_input_tokens()
    {
        var price = new ModelPrice { InputPerMillion = 1m, CachedInputPerMillion = 0m };

        Assert.Equal(0m, price.GetCost(100, 0, 1_000));
    }
}
