using AiEng.Inference;
using Microsoft.Extensions.AI;
using static AiEng.Tests.Inference.SemanticCache.SemanticCacheTestKit;

namespace AiEng.Tests.Inference.SemanticCache;

public sealed class InMemorySemanticCacheIndexTests
{
    [Fact]
    public async Task Keeps_at_most_its_maximum_dropping_the_oldest_entry()
    {
        var index = new InMemorySemanticCacheIndex(maxEntries: 2);

        await index.AddAsync(Record("a", "s1", [1, 0]), default);
        await index.AddAsync(Record("b", "s1", [0, 1]), default);
        await index.AddAsync(Record("c", "s2", [1, 0]), default);

        Assert.Equal(2, index.Count);
        var s1 = await index.SearchAsync("s1", new float[] { 1, 0 }, 10, default);
        Assert.Equal(["b"], s1.Select(r => r.Record.Key));
        Assert.Equal(["c"], (await index.SearchAsync("s2", new float[] { 1, 0 }, 10, default)).Select(r => r.Record.Key));
    }

    [Fact]
    public async Task Searches_one_scope_most_similar_first_and_removes_by_key_and_by_scope()
    {
        var index = new InMemorySemanticCacheIndex(maxEntries: 10);
        await index.AddAsync(Record("near", "s1", [1, 0.1f]), default);
        await index.AddAsync(Record("far", "s1", [0, 1]), default);
        await index.AddAsync(Record("other", "s2", [1, 0]), default);

        var hits = await index.SearchAsync("s1", new float[] { 1, 0 }, 10, default);
        Assert.Equal(["near", "far"], hits.Select(h => h.Record.Key));
        Assert.True(hits[0].Similarity > hits[1].Similarity);

        await index.RemoveAsync("near", default);
        Assert.Equal(["far"], (await index.SearchAsync("s1", new float[] { 1, 0 }, 10, default)).Select(h => h.Record.Key));
        Assert.Equal(["far"], await index.RemoveScopeAsync("s1", default));
        Assert.Equal(1, index.Count);
        Assert.Empty(await index.SearchAsync("s1", new float[] { 1, 0 }, 10, default));
    }

    [Fact]
    public async Task The_pipeline_honours_the_maximum_of_its_options()
    {
        var model = Numbered();
        using IChatClient client = Build(model, configure: o => o.MaxEntries = 1);

        await client.GetResponseAsync("What is the capital of France?");
        await client.GetResponseAsync("How do I bake bread?");
        ChatResponse again = await client.GetResponseAsync("What is the capital of France?");

        Assert.False(IsHit(again));
        Assert.Equal(3, model.CallCount);
    }

    private static SemanticCacheRecord Record(string key, string scope, float[] vector) =>
        new() { Key = key, Scope = scope, Question = key, ExpiresAt = long.MaxValue, Vector = vector };
}
