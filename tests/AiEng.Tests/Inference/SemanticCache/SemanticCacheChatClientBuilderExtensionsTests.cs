using AiEng.Inference;
using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using static AiEng.Tests.Inference.SemanticCache.SemanticCacheTestKit;

namespace AiEng.Tests.Inference.SemanticCache;

public sealed class SemanticCacheChatClientBuilderExtensionsTests
{
    [Fact]
    public void Validates_the_options_when_added_and_names_the_offending_one()
    {
        var builder = new TestChatClient().AsBuilder();

        Assert.Throws<ArgumentNullException>("builder", () => SemanticCacheChatClientBuilderExtensions.UseSemanticCache(null!));
        var threshold = Assert.Throws<ArgumentException>("configure", () => builder.UseSemanticCache(BagOfWords(), o => o.Threshold = 1.5));
        Assert.Contains("AiEng:SemanticCache:Threshold", threshold.Message, StringComparison.Ordinal);
        var ttl = Assert.Throws<ArgumentException>("configure", () => builder.UseSemanticCache(BagOfWords(), o => o.TimeToLive = TimeSpan.Zero));
        Assert.Contains("AiEng:SemanticCache:TimeToLive", ttl.Message, StringComparison.Ordinal);
        var candidates = Assert.Throws<ArgumentException>("configure", () => builder.UseSemanticCache(BagOfWords(), o => o.MaxCandidates = 0));
        Assert.Contains("AiEng:SemanticCache:MaxCandidates", candidates.Message, StringComparison.Ordinal);
        var entries = Assert.Throws<ArgumentException>("configure", () => builder.UseSemanticCache(BagOfWords(), o => o.MaxEntries = 0));
        Assert.Contains("AiEng:SemanticCache:MaxEntries", entries.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copies_the_options_so_later_changes_have_no_effect()
    {
        var options = new SemanticCacheOptions();
        var model = Numbered();
        using IChatClient client = model.AsBuilder().UseSemanticCache(BagOfWords(), o =>
        {
            o.Guard = null;
            options = o;
        }).Build();

        options.Threshold = 0;
        await client.GetResponseAsync("What is the capital of France?");
        ChatResponse unrelated = await client.GetResponseAsync("How do I bake bread?");

        Assert.False(IsHit(unrelated));
        Assert.Equal(SemanticCacheOptions.DefaultThreshold, client.GetService<AiEng.Inference.SemanticCache>()!.Threshold);
    }

    [Fact]
    public async Task Takes_the_embedding_model_from_the_services_when_none_is_given()
    {
        var embedder = BagOfWords();
        using ServiceProvider services = new ServiceCollection().AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(embedder).BuildServiceProvider();
        using IChatClient client = Numbered().AsBuilder().UseSemanticCache().Build(services);

        await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal(1, embedder.CallCount);
    }

    [Fact]
    public void Fails_to_build_without_an_embedding_model_and_says_how_to_give_one()
    {
        var builder = Numbered().AsBuilder().UseSemanticCache();

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Contains("IEmbeddingGenerator", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_vectors_in_any_vector_store_collection_and_responses_in_any_distributed_cache()
    {
        using var temp = new TempDirectory();
        var store = new InMemoryVectorStore();
        var vectors = store.GetCollection<string, SemanticCacheRecord>("semantic-cache", SemanticCacheRecord.CreateDefinition(128));
        var responses = new FileSystemDistributedCache(new FileSystemDistributedCacheOptions { Directory = temp.Path });
        var model = Numbered();
        IChatClient Pipeline() => model.AsBuilder().UseSemanticCache(BagOfWords(), o => o.Guard = null, vectors, responses).Build();

        using (IChatClient first = Pipeline())
        {
            await first.GetResponseAsync("What is the capital of France?");
            await first.GetResponseAsync([new(ChatRole.System, "Answer in French."), new(ChatRole.User, "What is the capital of France?")]);
        }

        // A second pipeline over the same storage (as another instance of the application) is served from it.
        using IChatClient second = Pipeline();
        ChatResponse hit = await second.GetResponseAsync("the capital of France is what");
        Assert.True(IsHit(hit));
        Assert.Equal("answer 1", hit.Text);
        Assert.Equal(2, await CountAsync(vectors));

        AiEng.Inference.SemanticCache cache = second.GetService<AiEng.Inference.SemanticCache>()!;
        await cache.InvalidateAsync(cache.GetScope([new(ChatRole.System, "Answer in French.")]));
        Assert.Equal(1, await CountAsync(vectors));

        // A vector whose response is gone from the distributed cache is a miss, and is removed.
        Directory.Delete(temp.Path, recursive: true);
        ChatResponse afterLoss = await second.GetResponseAsync("What is the capital of France?");
        Assert.False(IsHit(afterLoss));
        Assert.Equal("answer 3", afterLoss.Text);
        Assert.Equal(1, await CountAsync(vectors));

        await cache.InvalidateAllAsync();
        Assert.False(IsHit(await second.GetResponseAsync("What is the capital of France?")));
    }

    private static async Task<int> CountAsync(VectorStoreCollection<string, SemanticCacheRecord> vectors)
    {
        int count = 0;
        await foreach (SemanticCacheRecord record in vectors.GetAsync(r => r.Key != string.Empty, 100))
        {
            count++;
        }

        return count;
    }
}
