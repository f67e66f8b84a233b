using AiEng.Inference;
using AiEng.Testing;
using ResilienceTestKit = AiEng.Tests.Inference.Resilience.ResilienceTestKit;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.Inference.RequestLimits;

public sealed class RateLimitingChatClientTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Two_clients_of_one_limiter_share_its_requests()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { RequestsPerMinute = 60 }, time);
        var innerA = TestChatClient.Replying("a");
        var innerB = TestChatClient.Replying("b");
        using var clientA = new ChatClientBuilder(innerA).UseRateLimits(limiter).Build();
        using var clientB = new ChatClientBuilder(innerB).UseRateLimits(limiter).Build();

        await clientA.GetResponseAsync("first").WaitAsync(Wait);
        var queued = clientB.GetResponseAsync("second");

        Assert.False(queued.IsCompleted);
        Assert.Equal(0, innerB.CallCount);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("b", (await queued.WaitAsync(Wait)).Text);
    }

    [Fact]
    public async Task Counts_the_prompt_and_MaxOutputTokens_against_the_token_limit_and_sends_nothing_over_it()
    {
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { TokensPerMinute = 100 }, new FakeTimeProvider());
        var inner = TestChatClient.Replying("never");
        using var client = Build(inner, limiter);

        await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("hello", new ChatOptions { MaxOutputTokens = 95 }));

        Assert.Equal(0, inner.CallCount);
    }

    [Fact]
    public async Task Usage_beyond_the_estimate_holds_back_the_next_call()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { TokensPerMinute = 600 }, time);

        // The prompt "hello" is estimated at a few tokens by the word counter; the model reports 700, more than the 600 a minute.
        var inner = TestChatClient.Replying("ok", new UsageDetails { InputTokenCount = 600, OutputTokenCount = 100, TotalTokenCount = 700 });
        using var client = Build(inner, limiter);

        await client.GetResponseAsync("hello").WaitAsync(Wait);
        var next = client.GetResponseAsync("hello");

        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        await next.WaitAsync(Wait);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task A_429_from_the_model_pauses_every_caller_for_its_Retry_After()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { RequestsPerMinute = 6000 }, time);
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw ResilienceTestKit.Status(429, null, ("Retry-After", "5")) };
        using var client = Build(inner, limiter);

        await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(5), limiter.PausedUntil);
    }

    [Fact]
    public async Task A_retry_of_the_resilience_middleware_passes_the_limiter_again()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { RequestsPerMinute = 6000 }, time);
        int attempts = 0;
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => ++attempts == 1
                ? throw ResilienceTestKit.Status(429, null, ("Retry-After", "2"))
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "done"))),
        };
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time).BuildServiceProvider();
        using var client = new ChatClientBuilder(inner)
            .UseResilience(options => ResilienceTestKit.MakeExact(options))
            .UseRateLimits(limiter)
            .Build(services);

        var call = client.GetResponseAsync("hello");
        await WaitUntil(() => attempts == 1);

        // The retry waits out the pause the 429 set (2 s), which the resilience middleware's own delay equals here.
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(2), limiter.PausedUntil);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("done", (await call.WaitAsync(Wait)).Text);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_stream_is_admitted_once_when_it_opens()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { RequestsPerMinute = 60 }, time);
        var inner = TestChatClient.Replying("one two three");
        using var client = Build(inner, limiter);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hello"))
        {
            updates.Add(update);
        }

        var second = client.GetResponseAsync("again");
        Assert.NotEmpty(updates);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(Wait);
    }

    [Fact]
    public async Task AddAiEng_gives_every_client_of_a_configured_model_one_shared_limiter()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(
                ("AiEng:Chat:Provider", "Remote"),
                ("AiEng:Chat:Model", "m1"),
                ("AiEng:Chat:Settings:RequestsPerMinute", "120"),
                ("AiEng:ChatModels:other:Provider", "Remote"),
                ("AiEng:ChatModels:other:Model", "m1"),
                ("AiEng:ChatModels:other:Settings:RequestsPerMinute", "120")),
            builder => builder.AddProvider(new RemoteModelProvider()));

        _ = services.GetRequiredService<IChatClient>();
        _ = services.GetRequiredKeyedService<IChatClient>("other");

        var limiter = services.GetRequiredService<ModelRateLimiters>().Find("Remote", "m1");
        Assert.NotNull(limiter);
        Assert.Equal(120, limiter.Options.RequestsPerMinute);
    }

    [Fact]
    public void A_malformed_rate_limit_setting_fails_validation_naming_the_key()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(
                ("AiEng:Chat:Provider", "Remote"),
                ("AiEng:Chat:Model", "m1"),
                ("AiEng:Chat:Settings:TokensPerMinute", "lots")),
            builder => builder.AddProvider(new RemoteModelProvider()));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IChatClient>());

        Assert.Contains("AiEng:Chat:Settings:TokensPerMinute must be a positive whole number", error.Message, StringComparison.Ordinal);
    }

    private static IChatClient Build(IChatClient inner, ModelRateLimiter limiter)
    {
        var services = new ServiceCollection().AddSingleton<ITokenCounter>(new WordTokenCounter()).BuildServiceProvider();
        return new ChatClientBuilder(inner).UseRateLimits(limiter).Build(services);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
