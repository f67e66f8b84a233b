using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Stores;

public class HnswOptionsTests
{
    [Fact]
    public void Defaults_are_M_16_efConstruction_200_efSearch_64_seed_42_and_all_cores()
    {
        var options = new HnswOptions();

        Assert.Equal(16, options.M);
        Assert.Equal(200, options.EfConstruction);
        Assert.Equal(64, options.EfSearch);
        Assert.Equal(42, options.Seed);
        Assert.Equal(Environment.ProcessorCount, options.MaxDegreeOfParallelism);
    }

    [Theory]
    [InlineData(1, 200, 64, 1, "M")]
    [InlineData(129, 200, 64, 1, "M")]
    [InlineData(16, 15, 64, 1, "EfConstruction")]
    [InlineData(16, 65_537, 64, 1, "EfConstruction")]
    [InlineData(16, 200, 0, 1, "EfSearch")]
    [InlineData(16, 200, 65_537, 1, "EfSearch")]
    [InlineData(16, 200, 64, 0, "MaxDegreeOfParallelism")]
    public void An_out_of_range_value_is_rejected_naming_the_option(int m, int efConstruction, int efSearch, int threads, string name)
    {
        var options = new HnswOptions { M = m, EfConstruction = efConstruction, EfSearch = efSearch, MaxDegreeOfParallelism = threads };

        var error = Assert.Throws<ArgumentException>(() => new HnswIndex(4, options));

        Assert.Contains($"HnswOptions.{name} is", error.Message, StringComparison.Ordinal);
        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void The_index_copies_the_options_and_never_changes_them()
    {
        var options = new HnswOptions { M = 8, EfConstruction = 40, EfSearch = 10, Seed = 7, MaxDegreeOfParallelism = 1 };
        var index = new HnswIndex(4, options);

        options.M = 32;
        options.EfSearch = 500;
        var copy = index.Options;
        copy.Seed = 99;

        Assert.Equal(8, index.Options.M);
        Assert.Equal(10, index.Options.EfSearch);
        Assert.Equal(7, index.Options.Seed);
        Assert.Equal(40, index.Options.EfConstruction);
        Assert.Equal(1, index.Options.MaxDegreeOfParallelism);
        Assert.Equal(32, options.M);
        Assert.NotSame(index.Options, index.Options);
    }
}
