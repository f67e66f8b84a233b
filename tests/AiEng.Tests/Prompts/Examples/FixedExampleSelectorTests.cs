using AiEng.Prompts;

namespace AiEng.Tests.Prompts.Examples;

public class FixedExampleSelectorTests
{
    [Fact]
    public async Task Returns_the_given_examples_in_order_for_any_input()
    {
        var selector = new FixedExampleSelector(ExampleSelectorTestData.Examples.Take(2));

        Assert.Equal(["b1", "b2"], (await selector.SelectAsync("anything")).Select(e => e.Id));
    }
}
