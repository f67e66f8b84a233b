using AiEng.Prompts;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Prompts.Examples;

public class TokenBudgetExampleSelectorTests
{
    [Fact]
    public async Task Keeps_as_many_examples_as_fit_skipping_those_that_do_not()
    {
        var counter = new WordTokenCounter();
        PromptExample[] examples = [new("a b", "c"), new("a b c d e f g h", "i"), new("x", "y")];
        var selector = new TokenBudgetExampleSelector(new FixedExampleSelector(examples), counter, maxTokens: 20);

        IReadOnlyList<PromptExample> kept = await selector.SelectAsync("q");

        // Costs: 2 x (3 framing + 1 role) = 8 plus the words: 11, 17 and 10. The first fits (9 left); neither other one does.
        Assert.Equal(11, TokenBudgetExampleSelector.CountTokens(counter, examples[0]));
        Assert.Equal([examples[0]], kept);
    }

    [Fact]
    public async Task Takes_a_later_smaller_example_after_skipping_a_large_one()
    {
        var counter = new WordTokenCounter();
        PromptExample[] examples = [new("a b c d e f g h", "i"), new("x", "y")];
        var selector = new TokenBudgetExampleSelector(new FixedExampleSelector(examples), counter, maxTokens: 12);

        Assert.Equal([examples[1]], await selector.SelectAsync("q"));
    }
}
