using AiEng.Inference;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.Inference.RequestLimits;

public sealed class ModelRateLimiterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Admits_requests_at_the_limits_pace_and_queues_the_rest_in_order()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { RequestsPerMinute = 60 }, time);

        // 60 per minute: one request a second, no burst.
        var first = limiter.AcquireAsync(0, default).AsTask();
        var second = limiter.AcquireAsync(0, default).AsTask();
        var third = limiter.AcquireAsync(0, default).AsTask();
        (await first.WaitAsync(Wait)).Dispose();
        Assert.False(second.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        (await second.WaitAsync(Wait)).Dispose();
        Assert.False(third.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        (await third.WaitAsync(Wait)).Dispose();
    }

    [Fact]
    public async Task Queues_a_call_until_enough_tokens_are_replenished()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { TokensPerMinute = 600 }, time);

        (await limiter.AcquireAsync(400, default).AsTask().WaitAsync(Wait)).Dispose();
        var waiting = limiter.AcquireAsync(300, default).AsTask();
        Assert.False(waiting.IsCompleted);

        // 200 left, 100 more needed at 10 tokens a second.
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        (await waiting.WaitAsync(Wait)).Dispose();
    }

    [Fact]
    public async Task Rejects_a_call_over_a_minutes_tokens_before_anything_is_sent()
    {
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { TokensPerMinute = 100 }, new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => limiter.AcquireAsync(101, default).AsTask());

        Assert.Contains("101 tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("TokensPerMinute of 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Takes_tokens_used_beyond_the_estimate_from_the_next_call()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { TokensPerMinute = 600 }, time);
        (await limiter.AcquireAsync(100, default).AsTask().WaitAsync(Wait)).Dispose();

        // The call used 400, not 100: 300 are owed, so 100 + 300 + 300 > 600 and the next call waits.
        limiter.ReportUsage(100, 400);
        var next = limiter.AcquireAsync(300, default).AsTask();
        Assert.False(next.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(10));
        (await next.WaitAsync(Wait)).Dispose();
    }

    [Fact]
    public async Task A_zero_remaining_requests_header_pauses_every_caller_until_the_reset()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { RequestsPerMinute = 6000 }, time);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["x-ratelimit-remaining-requests"] = "0",
            ["x-ratelimit-reset-requests"] = "2s",
        };

        limiter.ObserveResponse(200, name => headers.GetValueOrDefault(name));
        var waiting = limiter.AcquireAsync(0, default).AsTask();

        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(2), limiter.PausedUntil);
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        (await waiting.WaitAsync(Wait)).Dispose();
        Assert.Null(limiter.PausedUntil);
    }

    [Fact]
    public void A_429_pauses_for_its_retry_after_ms_or_Retry_After_or_one_second()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { RequestsPerMinute = 60 }, time);
        var start = time.GetUtcNow();

        limiter.ObserveResponse(429, name => name == "retry-after-ms" ? "1500" : null);
        Assert.Equal(start + TimeSpan.FromMilliseconds(1500), limiter.PausedUntil);

        limiter.ObserveResponse(429, name => name == "Retry-After" ? "3" : null);
        Assert.Equal(start + TimeSpan.FromSeconds(3), limiter.PausedUntil);

        // A shorter pause never cuts a longer one short.
        limiter.ObserveResponse(429, _ => null);
        Assert.Equal(start + TimeSpan.FromSeconds(3), limiter.PausedUntil);
    }

    [Fact]
    public void A_remaining_count_above_zero_does_not_pause()
    {
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { RequestsPerMinute = 60 }, new FakeTimeProvider());

        limiter.ObserveResponse(200, name => name.StartsWith("x-ratelimit-remaining-", StringComparison.Ordinal) ? "3" : "1s");

        Assert.Null(limiter.PausedUntil);
    }

    [Fact]
    public void Pauses_are_capped_at_MaxPause()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { RequestsPerMinute = 60 }, time);

        limiter.PauseFor(TimeSpan.FromHours(3));

        Assert.Equal(time.GetUtcNow() + ModelRateLimiter.MaxPause, limiter.PausedUntil);
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_frees_its_place()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { RequestsPerMinute = 60 }, time);
        (await limiter.AcquireAsync(0, default).AsTask().WaitAsync(Wait)).Dispose();
        using var cancellation = new CancellationTokenSource();

        var cancelled = limiter.AcquireAsync(0, cancellation.Token).AsTask();
        var next = limiter.AcquireAsync(0, default).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Wait));
        time.Advance(TimeSpan.FromSeconds(1));
        (await next.WaitAsync(Wait)).Dispose();
    }

    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("6m0s", 60000)]
    [InlineData("20ms", 20)]
    [InlineData("1m30.5s", 60000)]
    [InlineData("0.5s", 500)]
    [InlineData("2", 2000)]
    [InlineData("17ms", 17)]
    public void Parses_provider_reset_durations_capped_at_a_minute(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ModelRateLimiter.ParseDuration(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5x")]
    [InlineData("-1")]
    public void Ignores_durations_it_does_not_understand(string? text) => Assert.Null(ModelRateLimiter.ParseDuration(text));

    [Fact]
    public void Rejects_limits_below_one_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => new ModelRateLimiter(new ModelRateLimitOptions { RequestsPerMinute = 0 }));

        Assert.Contains("RequestsPerMinute is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_a_copy_of_the_options()
    {
        var options = new ModelRateLimitOptions { RequestsPerMinute = 10 };
        using var limiter = new ModelRateLimiter(options);

        options.RequestsPerMinute = 20;

        Assert.Equal(10, limiter.Options.RequestsPerMinute);
    }
}
