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
    [InlineData("How far is 5 km in miles?", "How many miles are five kilometres?")]
    [InlineData("Is 1,000 bigger than 999?", "Is 1000 larger than 999?")]
    [InlineData("Which is the largest planet?", "What is the biggest planet?")]
    [InlineData("Can't dogs eat grapes?", "Why can dogs not eat grapes?")]
    [InlineData("Who painted the Mona Lisa?", "Which artist painted the Mona Lisa?")]
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
    [InlineData("How long should I boil an egg for a soft yolk?", "How long should I boil an egg for a hard yolk?")]
    [InlineData("How do I sort a dictionary by value in Python?", "How do I sort a dictionary by key in Python?")]
    public void Stops_near_misses_whose_answers_differ(string question, string cached) =>
        Assert.False(_guard.CanServe(question, cached));

    [Fact]
    public void Each_word_class_can_be_turned_off()
    {
        // Each pair differs in one word class only, by an added word (a swapped one is also a swap of subject words).
        Assert.False(_guard.CanServe("What is the capital of France?", "What is the capital of France and Spain?"));
        Assert.True(new KeyTermSemanticCacheGuard { CompareNames = false }.CanServe("What is the capital of France?", "What is the capital of France and Spain?"));
        Assert.False(_guard.CanServe("How much do apples cost?", "How much do 5 apples cost?"));
        Assert.True(new KeyTermSemanticCacheGuard { CompareNumbers = false }.CanServe("How much do apples cost?", "How much do 5 apples cost?"));
        Assert.False(_guard.CanServe("Is it safe?", "Is it not safe?"));
        Assert.True(new KeyTermSemanticCacheGuard { CompareNegations = false }.CanServe("Is it safe?", "Is it not safe?"));
        Assert.False(_guard.CanServe("How far is Paris from Lyon?", "How far is Paris from Lyon in miles?"));
        Assert.True(new KeyTermSemanticCacheGuard { CompareUnits = false }.CanServe("How far is Paris from Lyon?", "How far is Paris from Lyon in miles?"));
        Assert.False(_guard.CanServe("Which lake in Italy?", "Which largest lake in Italy?"));
        Assert.True(new KeyTermSemanticCacheGuard { CompareComparisons = false }.CanServe("Which lake in Italy?", "Which largest lake in Italy?"));
        Assert.False(_guard.CanServe("boil an egg for a soft yolk", "boil an egg for a hard yolk"));
        Assert.True(new KeyTermSemanticCacheGuard { CompareSubjectWords = false }.CanServe("boil an egg for a soft yolk", "boil an egg for a hard yolk"));
        // The price of the swap rule: a paraphrase that swaps one word for a synonym is not served either.
        Assert.False(_guard.CanServe("How tall is Mount Everest?", "What is the height of Mount Everest?"));
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
