using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using static AiEng.Tests.Inference.SemanticCache.SemanticCacheTestKit;

namespace AiEng.Tests.Inference.SemanticCache;

public sealed class KeyTermSemanticCacheGuardTests
{
    private readonly KeyTermSemanticCacheGuard _guard = new();

    [Theory]
    [InlineData("What is the capital of France?", "what's the capital city of france")]
    [InlineData("How many legs does a spider have?", "Spiders have how many legs?")]
    [InlineData("How far is 5 km in miles?", "Convert five kilometres to miles")]
    [InlineData("Is 1,000 bigger than 999?", "Is 1000 larger than 999?")]
    [InlineData("Which is the largest planet?", "What is the biggest planet?")]
    [InlineData("Can't dogs eat grapes?", "Why can dogs not eat grapes?")]
    [InlineData("Who wrote Hamlet?", "Hamlet was written by whom?")]
    public void Lets_paraphrases_through(string question, string cached) =>
        Assert.True(_guard.CanServe(question, cached));

    [Theory]
    [InlineData("What is the capital of France?", "What is the capital of Spain?")]
    [InlineData("How many legs does a spider have?", "How many legs do two spiders have?")]
    [InlineData("Convert 5 miles to km", "Convert 6 miles to km")]
    [InlineData("Can dogs eat grapes?", "Can't dogs eat grapes?")]
    [InlineData("Can dogs eat grapes?", "Can dogs never eat grapes?")]
    [InlineData("How many feet are in a mile?", "How many meters are in a mile?")]
    [InlineData("Which is the largest planet?", "Which is the smallest planet?")]
    [InlineData("What happened before the French Revolution?", "What happened after the French Revolution?")]
    [InlineData("Who won the World Cup in 2018?", "Who won the World Cup in 2014?")]
    [InlineData("Boiling point of water in Celsius", "Boiling point of water in Fahrenheit")]
    public void Stops_near_misses_whose_answers_differ(string question, string cached) =>
        Assert.False(_guard.CanServe(question, cached));

    [Fact]
    public void Each_word_class_can_be_turned_off()
    {
        Assert.True(new KeyTermSemanticCacheGuard { CompareNames = false }.CanServe("capital of France", "capital of Spain"));
        Assert.True(new KeyTermSemanticCacheGuard { CompareNumbers = false }.CanServe("5 apples", "6 apples"));
        Assert.True(new KeyTermSemanticCacheGuard { CompareNegations = false }.CanServe("is it safe", "is it not safe"));
        Assert.True(new KeyTermSemanticCacheGuard { CompareUnits = false }.CanServe("distance in miles", "distance in kilometres"));
        Assert.True(new KeyTermSemanticCacheGuard { CompareComparisons = false }.CanServe("largest lake", "smallest lake"));
    }

    [Fact]
    public void Checks_its_arguments()
    {
        Assert.Throws<ArgumentNullException>("question", () => _guard.CanServe(null!, "x"));
        Assert.Throws<ArgumentNullException>("cachedQuestion", () => _guard.CanServe("x", null!));
    }

    [Fact]
    public async Task Is_the_default_guard_of_the_cache()
    {
        // Both questions embed to the same vector, so only the guard tells them apart.
        var embedder = TestEmbeddingGenerator.FromFunction(_ => [1f, 0f]);
        var model = Numbered();
        using IChatClient client = model.AsBuilder().UseSemanticCache(embedder).Build();

        await client.GetResponseAsync("What is the capital of France?");
        ChatResponse spain = await client.GetResponseAsync("What is the capital of Spain?");
        ChatResponse france = await client.GetResponseAsync("what is the capital of france");

        Assert.False(IsHit(spain));
        Assert.True(IsHit(france));
        Assert.Equal("answer 1", france.Text);
    }
}
