using AiEng.Prompts;

namespace AiEng.Tests.Prompts.Examples;

public class MaxMarginalRelevanceExampleSelectorTests
{
    [Fact]
    public async Task Prefers_a_diverse_second_example_over_a_near_duplicate()
    {
        EmbeddedExamples examples = await ExampleSelectorTestData.EmbedAsync();
        var similar = new SemanticExampleSelector(examples, ExampleSelectorTestData.Generator, count: 2);
        var diverse = new MaxMarginalRelevanceExampleSelector(examples, ExampleSelectorTestData.Generator, count: 2, lambda: 0.5);

        IReadOnlyList<PromptExample> plain = await similar.SelectAsync("refund invoice invoice late");
        IReadOnlyList<PromptExample> mmr = await diverse.SelectAsync("refund invoice invoice late");

        // b1 nearly duplicates b2 (cosine 0.95); d1 shares only "late" with the input but nothing with b2.
        Assert.Equal(["b2", "b1"], plain.Select(e => e.Id));
        Assert.Equal(["b2", "d1"], mmr.Select(e => e.Id));
    }

    [Fact]
    public async Task With_lambda_one_it_equals_similarity_selection()
    {
        EmbeddedExamples examples = await ExampleSelectorTestData.EmbedAsync();
        var mmr = new MaxMarginalRelevanceExampleSelector(examples, ExampleSelectorTestData.Generator, count: 3, lambda: 1);
        var similar = new SemanticExampleSelector(examples, ExampleSelectorTestData.Generator, count: 3);

        Assert.Equal(
            (await similar.SelectAsync("password refund")).Select(e => e.Id),
            (await mmr.SelectAsync("password refund")).Select(e => e.Id));
    }

    [Fact]
    public async Task Rejects_a_lambda_outside_zero_to_one()
    {
        EmbeddedExamples examples = await ExampleSelectorTestData.EmbedAsync();

        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxMarginalRelevanceExampleSelector(examples, ExampleSelectorTestData.Generator, lambda: 1.5));
    }
}
