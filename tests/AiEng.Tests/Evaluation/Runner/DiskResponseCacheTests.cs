using AiEng.Evaluation;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Evaluation.Runner;

public sealed class DiskResponseCacheTests
{
    [Fact]
    public async Task A_rerun_with_unchanged_prompts_makes_no_model_call_and_returns_the_same_response()
    {
        using var temp = new TempDirectory();
        int n = 0;
        var model = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"answer {++n}"))) };

        using (var first = model.AsBuilder().UseDiskResponseCache(temp.Path).Build())
        {
            Assert.Equal("answer 1", (await first.GetResponseAsync("question")).Text);
        }

        // A new pipeline (as in a new process) over the same directory.
        using var second = model.AsBuilder().UseDiskResponseCache(temp.Path).Build();
        Assert.Equal("answer 1", (await second.GetResponseAsync("question")).Text);
        Assert.Equal(1, model.CallCount);

        Assert.Equal("answer 2", (await second.GetResponseAsync("a changed question")).Text);
        Assert.Equal(2, model.CallCount);
    }

    [Fact]
    public async Task Stores_removes_and_misses_entries_by_key()
    {
        using var temp = new TempDirectory();
        var cache = new DiskResponseCache(temp.Path);
        Assert.Null(await cache.GetAsync("k"));
        await cache.SetAsync("k", [1, 2, 3], new());
        Assert.Equal([1, 2, 3], cache.Get("k"));
        await cache.RemoveAsync("k");
        Assert.Null(cache.Get("k"));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }
}
