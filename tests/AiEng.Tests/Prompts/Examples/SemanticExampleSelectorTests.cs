using AiEng.Prompts;

namespace AiEng.Tests.Prompts.Examples;

public class SemanticExampleSelectorTests
{
    [Fact]
    public async Task Selects_the_k_most_similar_examples_most_similar_first()
    {
        var selector = new SemanticExampleSelector(await ExampleSelectorTestData.EmbedAsync(), ExampleSelectorTestData.Generator, count: 2);

        IReadOnlyList<PromptExample> selected = await selector.SelectAsync("invoice refund please");

        Assert.Equal(["b1", "b2"], selected.Select(e => e.Id));
    }

    [Fact]
    public async Task Rejects_a_query_embedding_of_other_dimensions()
    {
        var selector = new SemanticExampleSelector(await ExampleSelectorTestData.EmbedAsync(), ExampleSelectorTestData.Generator);

        Assert.Throws<InvalidOperationException>(() => selector.Select(new float[3]));
    }
}
