using AiEng.Prompts;

namespace AiEng.Tests.Prompts.Examples;

public class RandomExampleSelectorTests
{
    [Fact]
    public async Task The_same_seed_and_input_give_the_same_sample()
    {
        var a = new RandomExampleSelector(ExampleSelectorTestData.Examples, 3, seed: 42);
        var b = new RandomExampleSelector(ExampleSelectorTestData.Examples, 3, seed: 42);

        IReadOnlyList<PromptExample> first = await a.SelectAsync("hello");

        Assert.Equal(first, await b.SelectAsync("hello"));
        Assert.Equal(3, first.Distinct().Count());
    }

    [Fact]
    public async Task Different_seeds_give_different_samples()
    {
        var seen = new HashSet<string>();
        for (int seed = 0; seed < 10; seed++)
        {
            IReadOnlyList<PromptExample> sample = await new RandomExampleSelector(ExampleSelectorTestData.Examples, 2, seed).SelectAsync("x");
            seen.Add(string.Join(',', sample.Select(e => e.Id)));
        }

        Assert.True(seen.Count > 3);
    }
}
