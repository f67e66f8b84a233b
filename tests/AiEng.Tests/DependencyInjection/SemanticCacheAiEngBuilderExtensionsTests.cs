using AiEng.Inference;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static AiEng.Tests.Inference.SemanticCache.SemanticCacheTestKit;

namespace AiEng.Tests.DependencyInjection;

public sealed class SemanticCacheAiEngBuilderExtensionsTests
{
    [Fact]
    public async Task Serves_repeated_questions_of_the_served_chat_model_and_records_hits_in_the_ledger()
    {
        var model = Numbered();
        var embedder = BagOfWords();
        using ServiceProvider services = TestServices.Build(
            TestServices.Configuration(("AiEng:SemanticCache:Threshold", "0.8")),
            aieng => aieng.UseChatClient(_ => model).UseEmbeddingGenerator(_ => embedder).UseSemanticCache().UseSemanticCache());
        var client = services.GetRequiredService<IChatClient>();

        ChatResponse first = await client.GetResponseAsync("What is the capital of France?");
        ChatResponse second = await client.GetResponseAsync("the capital of France is what");

        Assert.False(IsHit(first));
        Assert.True(IsHit(second));
        Assert.Equal(1, model.CallCount);
        Assert.Equal(0.8, client.GetService<AiEng.Inference.SemanticCache>()!.Threshold);
        var ledger = services.GetRequiredService<IUsageLedger>();
        UsageRecord[] chat = [.. ledger.GetRecords().Where(r => r.Operation == UsageOperations.Chat)];
        Assert.Equal([false, true], chat.Select(r => r.IsCacheHit));
        // Both lookups embedded the question through AiEng's embedding pipeline, so they are recorded too.
        Assert.Equal(2, ledger.GetRecords().Count(r => r.Operation == UsageOperations.Embeddings));
    }

    [Fact]
    public void Reports_an_invalid_configured_threshold_with_its_key()
    {
        using ServiceProvider services = TestServices.Build(
            TestServices.Configuration(("AiEng:SemanticCache:Threshold", "2")),
            aieng => aieng.UseChatClient(_ => Numbered()).UseEmbeddingGenerator(_ => BagOfWords()).UseSemanticCache());

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SemanticCacheOptions>>().Value);
        Assert.Contains("AiEng:SemanticCache:Threshold", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_its_arguments_and_needs_the_AiEng_builder()
    {
        Assert.Throws<ArgumentNullException>(() => SemanticCacheAiEngBuilderExtensions.UseSemanticCache(null!));
        Assert.Throws<InvalidOperationException>(() => new AiEngBuilder(new ServiceCollection()).UseSemanticCache());
    }
}
