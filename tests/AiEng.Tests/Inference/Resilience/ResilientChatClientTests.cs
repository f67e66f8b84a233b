using System.ClientModel;
using System.Net;
using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Hedging;
using Polly.Timeout;
using static AiEng.Tests.Inference.Resilience.ResilienceTestKit;

namespace AiEng.Tests.Inference.Resilience;

public class ResilientChatClientTests
{
    [Fact]
    public async Task Retries_a_429_after_exactly_the_Retry_After_delay()
    {
        var time = Clock();
        var inner = Scripted(Status(429, headers: ("Retry-After", "7")), "done");
        using var client = new ResilientChatClient(inner, Exact(o => o.UseJitter = true), time);

        var call = client.GetResponseAsync("hello");

        Assert.Equal(1, inner.CallCount);
        time.AdvanceJustBefore(TimeSpan.FromSeconds(7));
        Assert.Equal(1, inner.CallCount);
        Assert.False(call.IsCompleted);
        time.AdvanceOneTick();
        Assert.Equal("done", (await call).Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Theory]
    [InlineData(429, "retry-after-ms", "1500", 1_500)]
    [InlineData(429, "x-ms-retry-after-ms", "2500", 2_500)]
    [InlineData(503, "Retry-After", "Sat, 01 Jan 2000 00:00:08 GMT", 8_000)]
    [InlineData(429, "Retry-After", "3600", 10_000)]
    public async Task Waits_the_provider_requested_delay_capped_at_MaxDelay(int status, string header, string value, int expectedMilliseconds)
    {
        var time = Clock();
        time.SetUtcNow(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        (string, string)[] headers = header == "Retry-After" ? [(header, value)] : [(header, value), ("Retry-After", "1")];
        var inner = Scripted(Status(status, headers: headers), "done");
        using var client = new ResilientChatClient(inner, Exact(o => o.MaxDelay = TimeSpan.FromSeconds(10)), time);

        var call = client.GetResponseAsync("hello");

        time.AdvanceJustBefore(TimeSpan.FromMilliseconds(expectedMilliseconds));
        Assert.Equal(1, inner.CallCount);
        time.AdvanceOneTick();
        Assert.Equal("done", (await call).Text);
    }

    [Fact]
    public async Task Retries_5xx_with_exponential_backoff()
    {
        var time = Clock();
        var inner = Scripted(Status(500), Status(502), Status(503), "done");
        using var client = new ResilientChatClient(inner, Exact(), time);

        var call = client.GetResponseAsync("hello");

        var expectedCalls = 1;
        foreach (var delay in new[] { 1, 2, 4 })
        {
            time.AdvanceJustBefore(TimeSpan.FromSeconds(delay));
            Assert.Equal(expectedCalls, inner.CallCount);
            time.AdvanceOneTick();
            Assert.Equal(++expectedCalls, inner.CallCount);
        }

        Assert.Equal("done", (await call).Text);
    }

    [Fact]
    public async Task Jittered_backoff_never_exceeds_MaxDelay()
    {
        var time = Clock();
        var inner = Scripted(Status(503), Status(503), "done");
        var options = Exact(o =>
        {
            o.UseJitter = true;
            o.BaseDelay = TimeSpan.FromSeconds(8);
            o.MaxDelay = TimeSpan.FromSeconds(9);
            o.Randomizer = () => 0.99;
        });
        using var client = new ResilientChatClient(inner, options, time);

        var call = client.GetResponseAsync("hello");

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(2, inner.CallCount);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("done", (await call).Text);
    }

    [Fact]
    public async Task Retries_408_and_connection_errors()
    {
        var time = Clock();
        var inner = Scripted(Status(408), ConnectionRefused(), Status(0), HttpStatus(HttpStatusCode.RequestTimeout), "done");
        using var client = new ResilientChatClient(inner, Exact(o => { o.BaseDelay = TimeSpan.Zero; o.MaxRetryAttempts = 4; }), time);

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("done", response.Text);
        Assert.Equal(5, inner.CallCount);
    }

    [Fact]
    public async Task Retries_an_HttpClient_timeout_that_the_caller_did_not_request()
    {
        var time = Clock();
        var inner = Scripted(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException()), "done");
        using var client = new ResilientChatClient(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), time);

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("done", response.Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Theory]
    [InlineData(401, "AiEng:Chat:ApiKey", "AiEng__Chat__ApiKey")]
    [InlineData(403, "lacks access", "AiEng:Chat:Model")]
    [InlineData(404, "AiEng:Chat:Model", "AiEng:Chat:Endpoint")]
    [InlineData(400, "rejected as invalid", "maximum context length")]
    public async Task Does_not_retry_client_errors_and_says_how_to_fix_them(int status, string hint, string otherHint)
    {
        var time = Clock();
        var body = """{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error"}}""";
        var inner = Scripted(Status(status, body), "never");
        inner.Metadata = new ChatClientMetadata("openai", null, "gpt-4o-mini");
        using var client = new ResilientChatClient(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), time);

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("secret prompt"));

        Assert.Equal(1, inner.CallCount);
        Assert.Equal(status, error.StatusCode);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.Contains(otherHint, error.Message, StringComparison.Ordinal);
        Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret prompt", error.Message, StringComparison.Ordinal);
        Assert.Equal("openai", error.ProviderName);
        Assert.Equal("gpt-4o-mini", error.ModelId);
        Assert.False(error.IsTransient);
        Assert.Equal(1, error.Attempts);
        Assert.IsType<ClientResultException>(error.InnerException);
    }

    [Fact]
    public async Task Names_the_model_of_the_call_and_the_configured_section_in_messages()
    {
        var time = Clock();
        var inner = Scripted(HttpStatus(HttpStatusCode.Unauthorized));
        using var client = new ResilientChatClient(inner, Exact(o => o.ConfigurationPath = "AiEng:ChatModels:fast"), time);

        var error = await Assert.ThrowsAsync<ModelRequestException>(
            () => client.GetResponseAsync("hello", new ChatOptions { ModelId = "llama3.2" }));

        Assert.Equal("llama3.2", error.ModelId);
        Assert.Contains("'llama3.2'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:ChatModels:fast:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng__ChatModels__fast__ApiKey", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task Surfaces_the_last_failure_after_MaxRetryAttempts_plus_one_calls()
    {
        var time = Clock();
        var inner = Scripted(Status(503));
        using var client = new ResilientChatClient(inner, Exact(o => { o.BaseDelay = TimeSpan.Zero; o.MaxRetryAttempts = 2; }), time);

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(3, inner.CallCount);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(503, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
        Assert.Equal(503, Assert.IsType<ClientResultException>(error.InnerException).Status);
    }

    [Fact]
    public async Task Surfaces_exhausted_rate_limits_with_the_requested_wait()
    {
        var time = Clock();
        var inner = Scripted(Status(429, headers: ("Retry-After", "2")));
        using var client = new ResilientChatClient(inner, Exact(o => o.MaxRetryAttempts = 0), time);

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(1, inner.CallCount);
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.Contains("rate limited", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 1 attempt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Surfaces_connection_failures_with_the_endpoint_setting()
    {
        var time = Clock();
        var inner = Scripted(ConnectionRefused());
        using var client = new ResilientChatClient(inner, Exact(o => { o.BaseDelay = TimeSpan.Zero; o.MaxRetryAttempts = 1; }), time);

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(2, inner.CallCount);
        Assert.Null(error.StatusCode);
        Assert.Contains("could not reach", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Chat:Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lets_other_exceptions_through_unchanged_and_unretried()
    {
        var time = Clock();
        var failure = new InvalidOperationException("a bug");
        var inner = Scripted(failure, "never");
        using var client = new ResilientChatClient(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), time);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("hello"));

        Assert.Same(failure, error);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task ShouldRetry_can_retry_a_custom_exception_and_stop_a_built_in_one()
    {
        var time = Clock();
        var inner = Scripted(new InvalidOperationException("provider hiccup"), Status(503), "never");
        var options = Exact(o =>
        {
            o.BaseDelay = TimeSpan.Zero;
            o.ShouldRetry = e => e switch
            {
                InvalidOperationException => true,
                ClientResultException { Status: 503 } => false,
                _ => null,
            };
        });
        using var client = new ResilientChatClient(inner, options, time);

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(2, inner.CallCount);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(2, error.Attempts);
    }

    [Fact]
    public async Task Retries_an_attempt_that_exceeds_the_attempt_timeout()
    {
        var time = Clock();
        var inner = Scripted(Hang, "done");
        using var client = new ResilientChatClient(inner, Exact(o => o.AttemptTimeout = TimeSpan.FromSeconds(10)), time);

        var call = client.GetResponseAsync("hello");

        time.AdvanceJustBefore(TimeSpan.FromSeconds(10));
        Assert.Equal(1, inner.CallCount);
        time.AdvanceOneTick();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("done", (await call).Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Stops_at_the_total_timeout_and_says_how_many_attempts_were_made()
    {
        var time = Clock();
        var inner = Scripted(Status(503));
        var options = Exact(o =>
        {
            o.MaxRetryAttempts = 10;
            o.BaseDelay = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(25);
        });
        using var client = new ResilientChatClient(inner, options, time);

        var call = client.GetResponseAsync("hello");
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, inner.CallCount);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(15));

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => call);
        Assert.Equal(2, inner.CallCount);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(503, error.StatusCode);
        Assert.IsType<TimeoutRejectedException>(error.InnerException);
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.Contains("25 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enforces_the_total_timeout_from_the_start_of_the_call_when_attempts_have_their_own_timeout()
    {
        var time = Clock();
        var inner = Scripted(Hang);
        var options = Exact(o =>
        {
            o.MaxRetryAttempts = 10;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(25);
        });
        using var client = new ResilientChatClient(inner, options, time);

        var call = client.GetResponseAsync("hello");
        time.Advance(TimeSpan.FromSeconds(10)); // the first attempt times out; retry after 1 s
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, inner.CallCount);
        time.Advance(TimeSpan.FromSeconds(10)); // the second attempt times out; retry after 2 s
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(3, inner.CallCount);
        time.AdvanceJustBefore(TimeSpan.FromSeconds(2));
        Assert.False(call.IsCompleted);
        time.AdvanceOneTick(); // 25 s since the call started

        Assert.True(call.IsCompleted);
        var error = await Assert.ThrowsAsync<ModelRequestException>(() => call);
        Assert.Equal(3, inner.CallCount);
        Assert.Equal(3, error.Attempts);
        Assert.IsType<TimeoutRejectedException>(error.InnerException);
        Assert.Contains("time limit of 25 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enforces_the_total_timeout_during_the_first_retry_delay()
    {
        var time = Clock();
        var inner = Scripted(Status(429, headers: ("Retry-After", "20")), "never");
        var options = Exact(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = TimeSpan.FromSeconds(15);
        });
        using var client = new ResilientChatClient(inner, options, time);

        var call = client.GetResponseAsync("hello");
        time.AdvanceJustBefore(TimeSpan.FromSeconds(15));
        Assert.False(call.IsCompleted);
        time.AdvanceOneTick();
        time.Advance(TimeSpan.FromSeconds(10)); // past the requested 20 s: a call without the total timeout would have retried

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => call);
        Assert.Equal(1, inner.CallCount);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(429, error.StatusCode);
        Assert.Contains("time limit of 15 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_a_failed_first_attempt_with_backoff_and_jitter_when_every_attempt_has_a_timeout()
    {
        var time = Clock();
        var inner = Scripted(Status(503), Status(503), "done");
        var options = Exact(o =>
        {
            o.UseJitter = true;
            o.Randomizer = () => 0.25;
            o.AttemptTimeout = TimeSpan.FromSeconds(100);
            o.TotalTimeout = TimeSpan.FromMinutes(5);
            o.CircuitBreaker.Enabled = true;
        });
        var reference = Scripted(Status(503), Status(503), "done");
        var referenceTime = Clock();
        using var client = new ResilientChatClient(inner, options, time);

        // Without an attempt timeout the total timeout must bound the first attempt too, so the reference runs every
        // attempt through the single pipeline (total timeout → retry → attempt), with the same randomizer.
        using var singlePipeline = new ResilientChatClient(
            reference, Exact(o => { o.UseJitter = true; o.Randomizer = () => 0.25; o.TotalTimeout = TimeSpan.FromMinutes(10); }), referenceTime);

        var call = client.GetResponseAsync("hello");
        var referenceCall = singlePipeline.GetResponseAsync("hello");
        var steps = 0;
        while (!referenceCall.IsCompleted)
        {
            Assert.Equal(reference.CallCount, inner.CallCount);
            Assert.False(call.IsCompleted);
            time.Advance(TimeSpan.FromMilliseconds(10));
            referenceTime.Advance(TimeSpan.FromMilliseconds(10));
            Assert.True(++steps < 10_000, "the reference call should finish within 100 s");
        }

        Assert.True(steps > 100, "the retries should wait");
        Assert.Equal("done", (await call).Text);
        Assert.Equal(3, inner.CallCount);
    }

    [Fact]
    public async Task Counts_a_retried_first_attempt_once_towards_the_circuit()
    {
        var time = Clock();
        var inner = Scripted(Status(503), "done", "again");
        var options = Exact(o =>
        {
            o.MaxRetryAttempts = 1;
            o.BaseDelay = TimeSpan.Zero;
            o.AttemptTimeout = TimeSpan.FromSeconds(100);
            o.TotalTimeout = TimeSpan.FromMinutes(5);
            o.CircuitBreaker.Enabled = true;
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.FailureRatio = 0.6;
        });
        using var client = new ResilientChatClient(inner, options, time);

        Assert.Equal("done", (await client.GetResponseAsync("hello")).Text);
        Assert.Equal("again", (await client.GetResponseAsync("hello")).Text);
        Assert.Equal(3, inner.CallCount);
    }

    [Fact]
    public async Task Opens_the_circuit_after_failures_rejects_fast_and_half_opens_after_BreakDuration()
    {
        var time = Clock();
        var failing = true;
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => failing ? Task.FromException<ChatResponse>(Status(503)) : Task.FromResult(Answer("back")),
        };
        var options = Exact(o =>
        {
            o.MaxRetryAttempts = 0;
            o.CircuitBreaker.Enabled = true;
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.FailureRatio = 0.5;
            o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
        });
        using var client = new ResilientChatClient(inner, options, time);

        await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("1"));
        await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("2"));
        failing = false;
        var rejected = await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("3"));

        Assert.Equal(2, inner.CallCount);
        Assert.Equal(0, rejected.Attempts);
        Assert.True(rejected.IsTransient);
        Assert.IsType<BrokenCircuitException>(rejected.InnerException);
        Assert.Contains("circuit breaker is open", rejected.Message, StringComparison.Ordinal);

        time.AdvanceJustBefore(TimeSpan.FromSeconds(15));
        await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("4"));
        Assert.Equal(2, inner.CallCount);

        time.AdvanceOneTick();
        Assert.Equal("back", (await client.GetResponseAsync("5")).Text);
        Assert.Equal("back", (await client.GetResponseAsync("6")).Text);
        Assert.Equal(4, inner.CallCount);
    }

    [Fact]
    public async Task Does_not_count_client_errors_towards_the_circuit()
    {
        var time = Clock();
        var inner = Scripted(Status(400), Status(400), Status(400), "done");
        var options = Exact(o =>
        {
            o.MaxRetryAttempts = 0;
            o.CircuitBreaker.Enabled = true;
            o.CircuitBreaker.MinimumThroughput = 2;
        });
        using var client = new ResilientChatClient(inner, options, time);

        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("hello"));
            Assert.Equal(400, error.StatusCode);
        }

        Assert.Equal("done", (await client.GetResponseAsync("hello")).Text);
        Assert.Equal(4, inner.CallCount);
    }

    [Fact]
    public async Task Does_not_retry_when_the_caller_cancels_during_an_attempt()
    {
        var time = Clock();
        var inner = Scripted(Hang, "never");
        using var client = new ResilientChatClient(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), time);
        using var cancellation = new CancellationTokenSource();

        var call = client.GetResponseAsync("hello", cancellationToken: cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task Does_not_retry_when_the_caller_cancels_during_a_retry_delay()
    {
        var time = Clock();
        var inner = Scripted(Status(503), "never");
        using var client = new ResilientChatClient(inner, Exact(), time);
        using var cancellation = new CancellationTokenSource();

        var call = client.GetResponseAsync("hello", cancellationToken: cancellation.Token);
        await cancellation.CancelAsync();
        time.Advance(TimeSpan.FromMinutes(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task Propagates_a_cancellation_by_the_caller_token_without_retrying()
    {
        var time = Clock();
        using var cancellation = new CancellationTokenSource();
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, token) =>
            {
                cancellation.Cancel();
                token.ThrowIfCancellationRequested();
                return Task.FromResult(Answer("never"));
            },
        };
        using var client = new ResilientChatClient(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), time);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("hello", cancellationToken: cancellation.Token));
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task Streaming_retries_a_failure_before_the_first_update()
    {
        var time = Clock();
        var calls = 0;
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, token) => ++calls == 1
                ? Stream(Status(503), token)
                : Stream(null, token, "a", "b"),
        };
        using var client = new ResilientChatClient(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), time);

        Assert.Equal(["a", "b"], await TextsAsync(client.GetStreamingResponseAsync("hello")));
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Streaming_does_not_retry_a_failure_after_the_first_update()
    {
        var time = Clock();
        var failure = Status(503);
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, token) => Stream(failure, token, "a"),
        };
        using var client = new ResilientChatClient(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), time);

        var texts = new List<string>();
        var error = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hello"))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Same(failure, error);
        Assert.Equal(["a"], texts);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task Streaming_turns_a_connection_that_breaks_after_the_first_update_into_a_ModelRequestException_naming_the_model_and_not_retried()
    {
        var time = Clock();
        var broke = new IOException("The response ended prematurely.");
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, token) => Stream(broke, token, "a", "b"),
            Metadata = new ChatClientMetadata("openai", null, "gpt-4o-mini"),
        };
        using var client = new ResilientChatClient(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), time);

        var texts = new List<string>();
        var error = await Assert.ThrowsAsync<ModelRequestException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("secret prompt"))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Equal(["a", "b"], texts);
        Assert.Equal(1, inner.CallCount);
        Assert.Same(broke, error.InnerException);
        Assert.StartsWith("The chat request to provider 'openai' (model 'gpt-4o-mini') stopped after 2 streamed updates: the stream broke (IOException).", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret prompt", error.Message, StringComparison.Ordinal);
        Assert.Equal(("openai", "gpt-4o-mini", true), (error.ProviderName, error.ModelId, error.IsTransient));
    }

    [Fact]
    public async Task Streaming_cancelled_by_the_caller_after_the_first_update_stays_a_cancellation()
    {
        var time = Clock();
        using var cancellation = new CancellationTokenSource();
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, token) => Stream(null, token, "a", "b", "c") };
        using var client = new ResilientChatClient(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), time);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hello", cancellationToken: cancellation.Token))
            {
                await cancellation.CancelAsync();
            }
        });
    }

    [Fact]
    public async Task Streaming_surfaces_a_client_error_before_the_first_update_at_once()
    {
        var time = Clock();
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, token) => Stream(Status(401), token),
        };
        using var client = new ResilientChatClient(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), time);

        var error = await Assert.ThrowsAsync<ModelRequestException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hello"))
            {
                Assert.Fail("no update expected");
            }
        });

        Assert.Equal(401, error.StatusCode);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task Streaming_retries_an_attempt_that_produces_no_first_update_in_time_and_keeps_the_stream_alive_after_it()
    {
        var time = Clock();
        var calls = 0;
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, token) => ++calls == 1 ? HangingStream(token) : Stream(null, token, "a", "b"),
        };
        using var client = new ResilientChatClient(inner, Exact(o => { o.BaseDelay = TimeSpan.Zero; o.AttemptTimeout = TimeSpan.FromSeconds(5); }), time);

        await using var updates = client.GetStreamingResponseAsync("hello").GetAsyncEnumerator();
        var first = updates.MoveNextAsync().AsTask();
        Assert.Equal(1, inner.CallCount);
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(await first);
        Assert.Equal("a", updates.Current.Text);
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal("b", updates.Current.Text);
        Assert.False(await updates.MoveNextAsync());
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Streaming_yields_nothing_for_an_empty_stream()
    {
        var time = Clock();
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, token) => Stream(null, token) };
        using var client = new ResilientChatClient(inner, Exact(), time);

        var count = 0;
        await foreach (var update in client.GetStreamingResponseAsync("hello"))
        {
            count++;
        }

        Assert.Equal(0, count);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public void Rejects_invalid_options_when_created()
    {
        var error = Assert.Throws<ArgumentException>(() => new ResilientChatClient(Scripted("x"), new ResilienceOptions { MaxRetryAttempts = -1 }));

        Assert.Contains("MaxRetryAttempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("between 0 and 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_null_inner_client()
    {
        Assert.Throws<ArgumentNullException>("innerClient", () => new ResilientChatClient(null!));
    }

    [Fact]
    public async Task Hedging_the_fast_hedged_attempt_wins_and_the_slow_first_attempt_is_cancelled()
    {
        var time = Clock();
        var tokens = new List<CancellationToken>();
        var slowCancelled = false;
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, token) =>
            {
                tokens.Add(token);
                if (tokens.Count > 1)
                {
                    return Task.FromResult(Answer("fast"));
                }

                var slow = new TaskCompletionSource<ChatResponse>();
                token.Register(() =>
                {
                    slowCancelled = true;
                    slow.TrySetCanceled(token);
                });
                return slow.Task;
            },
        };
        var hedging = new ResiliencePipelineBuilder<ChatResponse> { TimeProvider = time }
            .AddHedging(new HedgingStrategyOptions<ChatResponse>
            {
                Delay = TimeSpan.FromSeconds(2),
                ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context),
            })
            .Build();
        var attempts = new ResiliencePipelineBuilder { TimeProvider = time }.AddModelResilience(Exact()).Build();
        using var client = new ResilientChatClient(inner, attempts, hedging);
        using var caller = new CancellationTokenSource();

        var call = client.GetResponseAsync("hello", cancellationToken: caller.Token);
        time.AdvanceJustBefore(TimeSpan.FromSeconds(2));
        Assert.Single(tokens);
        Assert.False(call.IsCompleted);
        time.AdvanceOneTick();

        // Polly's hedging returns only after the losing attempt has ended, so an attempt that did not get its own token (or
        // ignored it) would keep the call from completing: fail after a generous wait instead of hanging the test run.
        Assert.Equal("fast", (await call.WaitAsync(TimeSpan.FromSeconds(30))).Text);
        Assert.Equal(2, tokens.Count);
        Assert.True(slowCancelled);
        Assert.NotEqual(caller.Token, tokens[0]);
        Assert.NotEqual(tokens[0], tokens[1]);
        Assert.False(caller.IsCancellationRequested);
    }

    [Fact]
    public async Task Hedging_after_a_failed_attempt_answers_from_the_next_attempt_at_once()
    {
        var inner = Scripted(Status(503), "second");
        var hedging = new ResiliencePipelineBuilder<ChatResponse>()
            .AddHedging(new HedgingStrategyOptions<ChatResponse> { ShouldHandle = new PredicateBuilder<ChatResponse>().HandleTransientModelFailures() })
            .Build();
        using var client = new ResilientChatClient(inner, pipeline: null, hedging);

        Assert.Equal("second", (await client.GetResponseAsync("hello")).Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task A_fallback_answers_when_the_model_still_fails_after_the_untyped_pipelines_retries()
    {
        var inner = Scripted(Status(503));
        var attempts = new ResiliencePipelineBuilder().AddModelResilience(Exact(o => { o.MaxRetryAttempts = 2; o.BaseDelay = TimeSpan.Zero; })).Build();
        Exception? handled = null;
        var fallback = new ResiliencePipelineBuilder<ChatResponse>()
            .AddFallback(new FallbackStrategyOptions<ChatResponse>
            {
                ShouldHandle = args => ModelFailures.ShouldFallBack(args.Outcome, args.Context),
                FallbackAction = args =>
                {
                    handled = args.Outcome.Exception;
                    return Outcome.FromResultAsValueTask(Answer("from the fallback"));
                },
            })
            .Build();
        using var client = new ChatClientBuilder(inner).UseResilience(attempts, fallback).Build();

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("from the fallback", response.Text);
        Assert.Equal(3, inner.CallCount);
        Assert.Equal(503, Assert.IsType<ClientResultException>(handled).Status);
    }

    [Fact]
    public async Task A_client_error_passes_the_fallback_and_surfaces_as_a_ModelRequestException()
    {
        var inner = Scripted(Status(401), "never");
        var fallbacks = 0;
        var fallback = new ResiliencePipelineBuilder<ChatResponse>()
            .AddFallback(new FallbackStrategyOptions<ChatResponse>
            {
                ShouldHandle = args => ModelFailures.ShouldFallBack(args.Outcome, args.Context),
                FallbackAction = _ =>
                {
                    fallbacks++;
                    return Outcome.FromResultAsValueTask(Answer("from the fallback"));
                },
            })
            .Build();
        using var client = new ResilientChatClient(inner, new ResiliencePipelineBuilder().AddModelResilience(Exact()).Build(), fallback);

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(401, error.StatusCode);
        Assert.Contains("AiEng:Chat:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(1, inner.CallCount);
        Assert.Equal(0, fallbacks);
    }

    [Fact]
    public async Task A_typed_pipeline_keeps_the_exact_Retry_After_of_the_untyped_pipeline_inside_it()
    {
        var time = Clock();
        var inner = Scripted(Status(429, headers: ("retry-after-ms", "1500")), "done");
        var attempts = new ResiliencePipelineBuilder { TimeProvider = time }.AddModelResilience(Exact(o => o.UseJitter = true)).Build();
        var fallback = new ResiliencePipelineBuilder<ChatResponse>()
            .AddFallback(new FallbackStrategyOptions<ChatResponse>
            {
                ShouldHandle = args => ModelFailures.ShouldFallBack(args.Outcome, args.Context),
                FallbackAction = _ => Outcome.FromResultAsValueTask(Answer("from the fallback")),
            })
            .Build();
        using var client = new ResilientChatClient(inner, attempts, fallback);

        var call = client.GetResponseAsync("hello");

        time.AdvanceJustBefore(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(1, inner.CallCount);
        Assert.False(call.IsCompleted);
        time.AdvanceOneTick();
        Assert.Equal("done", (await call).Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Streaming_calls_run_through_the_untyped_pipeline_only_never_the_typed_one()
    {
        var inner = Scripted(Status(503));
        var typedRuns = 0;
        var fallback = new ResiliencePipelineBuilder<ChatResponse>()
            .AddFallback(new FallbackStrategyOptions<ChatResponse>
            {
                ShouldHandle = args =>
                {
                    typedRuns++;
                    return ModelFailures.ShouldFallBack(args.Outcome, args.Context);
                },
                FallbackAction = _ => Outcome.FromResultAsValueTask(Answer("from the fallback")),
            })
            .Build();
        var attempts = new ResiliencePipelineBuilder().AddModelResilience(Exact(o => { o.MaxRetryAttempts = 1; o.BaseDelay = TimeSpan.Zero; })).Build();
        using var client = new ResilientChatClient(inner, attempts, fallback);

        var error = await Assert.ThrowsAsync<ModelRequestException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hello"))
            {
                Assert.Fail("The failing stream produced an update: " + update.Text);
            }
        });

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(2, inner.CallCount);
        Assert.Equal(0, typedRuns);

        // The same client's non-streaming call does run through the typed pipeline.
        Assert.Equal("from the fallback", (await client.GetResponseAsync("hello")).Text);
        Assert.Equal(1, typedRuns);
    }

    [Fact]
    public async Task With_only_a_typed_pipeline_streams_are_sent_once_and_their_failures_still_become_ModelRequestExceptions()
    {
        var streams = 0;
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, token) => ++streams == 1 ? Stream(Status(401), token) : Stream(null, token, "a", "b"),
        };
        var hedging = new ResiliencePipelineBuilder<ChatResponse>()
            .AddHedging(new HedgingStrategyOptions<ChatResponse> { Delay = TimeSpan.Zero, ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context) })
            .Build();
        using var client = new ChatClientBuilder(inner).UseResilience(hedging).Build();

        var error = await Assert.ThrowsAsync<ModelRequestException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hello"))
            {
                Assert.Fail("The failing stream produced an update: " + update.Text);
            }
        });
        Assert.Equal(401, error.StatusCode);
        Assert.Equal(1, inner.CallCount);

        Assert.Equal(["a", "b"], await TextsAsync(client.GetStreamingResponseAsync("hello")));
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Does_not_wrap_the_ModelRequestException_of_a_resilience_middleware_further_in()
    {
        var inner = Scripted(Status(503));
        using var client = new ChatClientBuilder(inner)
            .UseResilience(o => { o.MaxRetryAttempts = 0; o.CircuitBreaker.Enabled = false; })
            .UseResilience(new ResiliencePipelineBuilder().AddModelResilience(Exact(o => { o.MaxRetryAttempts = 1; o.BaseDelay = TimeSpan.Zero; })).Build())
            .Build();

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("hello"));

        Assert.IsType<ClientResultException>(error.InnerException);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public void Rejects_a_null_typed_pipeline()
    {
        Assert.Throws<ArgumentNullException>("responsePipeline", () => new ResilientChatClient(Scripted("x"), ResiliencePipeline.Empty, (ResiliencePipeline<ChatResponse>)null!));
        Assert.Throws<ArgumentNullException>("pipeline", () => new ResilientChatClient(Scripted("x"), (ResiliencePipeline)null!));
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> HangingStream([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, token).ConfigureAwait(false);
        yield break;
    }

    private static async Task<List<string>> TextsAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var texts = new List<string>();
        await foreach (var update in updates)
        {
            texts.Add(update.Text);
        }

        return texts;
    }
}
