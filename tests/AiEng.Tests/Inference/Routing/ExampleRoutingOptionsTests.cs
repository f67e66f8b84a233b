using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Inference.Routing;

public sealed class ExampleRoutingOptionsTests
{
    [Fact]
    public void The_defaults_are_five_neighbours_voting_by_sum_from_a_score_of_one_half()
    {
        var options = new ExampleRoutingOptions();

        Assert.Equal(5, options.Neighbors);
        Assert.Equal(ExampleRoutingAggregation.Sum, options.Aggregation);
        Assert.Equal(0.5, options.Threshold);
        Assert.Null(options.FallbackModelName);
        Assert.Empty(options.Examples);
        Assert.Empty(options.Clients);
    }

    [Fact]
    public void Validation_names_every_problem()
    {
        var options = new ExampleRoutingOptions { Neighbors = 0, Aggregation = (ExampleRoutingAggregation)7, FallbackModelName = "" };
        options.Examples.Add(null!);
        options.Clients["large"] = null!;

        var error = Assert.Throws<ArgumentException>("configure", () => options.ValidateAndClone("configure"));

        Assert.Contains("Neighbors (0) must be between 1 and 100", error.Message, StringComparison.Ordinal);
        Assert.Contains("Aggregation (7) must be Sum or Mean", error.Message, StringComparison.Ordinal);
        Assert.Contains("Examples[0] is null", error.Message, StringComparison.Ordinal);
        Assert.Contains("Clients[\"large\"] is null", error.Message, StringComparison.Ordinal);
        Assert.Contains("FallbackModelName is empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExampleRoutingAggregation.Sum, 3, 3.0, true)]
    [InlineData(ExampleRoutingAggregation.Sum, 3, 3.5, false)]
    [InlineData(ExampleRoutingAggregation.Mean, 3, 1.0, true)]
    [InlineData(ExampleRoutingAggregation.Mean, 3, 1.5, false)]
    [InlineData(ExampleRoutingAggregation.Mean, 3, double.NaN, false)]
    public void The_threshold_must_fit_the_aggregation(ExampleRoutingAggregation aggregation, int neighbors, double threshold, bool valid)
    {
        var options = new ExampleRoutingOptions { Aggregation = aggregation, Neighbors = neighbors, Threshold = threshold }.AddExample("x", "large");

        if (valid)
        {
            Assert.Equal(threshold, options.ValidateAndClone("configure").Threshold);
        }
        else
        {
            var error = Assert.Throws<ArgumentException>(() => options.ValidateAndClone("configure"));
            Assert.Contains("Threshold", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_copy_does_not_follow_later_changes()
    {
        var large = new TestChatClient();
        var options = new ExampleRoutingOptions().AddExample("x", "large");
        options.Clients["large"] = large;

        ExampleRoutingOptions copy = options.ValidateAndClone("configure");
        options.Examples.Clear();
        options.Clients.Clear();
        options.Neighbors = 9;

        Assert.Single(copy.Examples);
        Assert.Same(large, copy.Clients["LARGE"]);
        Assert.Equal(5, copy.Neighbors);
    }

    [Fact]
    public void An_example_needs_a_text_and_a_model()
    {
        Assert.Throws<ArgumentNullException>("text", () => new RoutingExample(null!, "large"));
        Assert.Throws<ArgumentException>("model", () => new RoutingExample("x", " "));
        RoutingExample example = new ExampleRoutingOptions().AddExample("What is 17 times 23?", "large").Examples[0];
        Assert.Equal(("What is 17 times 23?", "large"), (example.Text, example.Model));
    }
}
