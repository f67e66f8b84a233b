using AiEng.Inference;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Inference.Caching;

public sealed class DiskResponseCacheBuilderExtensionsTests
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
    public async Task Keeps_responses_as_file_system_cache_entries_without_temporary_files()
    {
        using var temp = new TempDirectory();
        var model = TestChatClient.Replying("cached");
        using var client = model.AsBuilder().UseDiskResponseCache(temp.Path).Build();

        await client.GetResponseAsync("question");

        var cache = new FileSystemDistributedCache(new FileSystemDistributedCacheOptions { Directory = temp.Path });
        string entry = Assert.Single(Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories));
        Assert.EndsWith(".entry", entry, StringComparison.Ordinal);
        Assert.Equal(temp.Path, Path.GetFullPath(cache.Directory));
    }

    [Fact]
    public void Validates_the_configured_cache_options_when_added()
    {
        var builder = new TestChatClient().AsBuilder();

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.UseDiskResponseCache("cache", o => o.MaxSizeBytes = 0));
        Assert.Throws<ArgumentException>(() => builder.UseDiskResponseCache(" "));
    }
}
