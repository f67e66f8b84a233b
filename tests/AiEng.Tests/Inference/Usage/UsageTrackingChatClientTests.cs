using System.Runtime.CompilerServices;
using AiEng.Inference;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.Inference.Usage;

public sealed class UsageTrackingChatClientTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "hello world")];

    private readonly FakeTimeProvider _time = new(Start);
    private readonly UsageLedger _ledger = new();

    [Fact]
    public async Task Records_a_call_with_the_usage_the_provider_reports()
    {
        var usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 30, CachedInputTokenCount = 100 };
        using var client = Create(Replying("Hi there.", usage, model: "gpt-4o-mini-2024-07-18"));

        await client.GetResponseAsync(Question);

        UsageRecord record = Assert.Single(_ledger.GetRecords());
        Assert.Equal(Start, record.Timestamp);
        Assert.Equal("chat", record.Operation);
        Assert.Equal("test", record.Provider);
        Assert.Equal("gpt-4o-mini-2024-07-18", record.Model);
        Assert.Equal(120, record.InputTokens);
        Assert.Equal(30, record.OutputTokens);
        Assert.Equal(100, record.CachedInputTokens);
        Assert.Equal(TimeSpan.FromMilliseconds(250), record.Latency);
        Assert.False(record.IsEstimated);
        Assert.False(record.IsStreaming);
        Assert.Null(record.Cost);
        Assert.Null(record.CallerTag);
    }

    [Fact]
    public async Task Records_a_response_a_cache_marked_as_a_hit_with_no_tokens_and_no_cost()
    {
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "cached answer"))
            {
                ModelId = "gpt-4o-mini",
                AdditionalProperties = new() { [ResponseCacheProperties.Hit] = "my-cache" },
            }),
        };
        using var client = Create(inner, o => o.Prices["gpt-4o-mini"] = new ModelPrice { InputPerMillion = 0.15m, OutputPerMillion = 0.60m });

        await client.GetResponseAsync(Question);

        UsageRecord record = Assert.Single(_ledger.GetRecords());
        Assert.True(record.IsCacheHit);
        Assert.Equal(0m, record.Cost);
        Assert.Equal(0, record.InputTokens);
        Assert.Equal(0, record.OutputTokens);
        Assert.False(record.IsEstimated);
        Assert.Equal(1, _ledger.GetTotals().CacheHits);
        Assert.Equal(1, _ledger.GetTotals().Calls);
    }

    [Fact]
    public async Task Stamps_records_with_the_system_clock_when_no_time_provider_is_given()
    {
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))),
        };
        using var client = new UsageTrackingChatClient(inner, _ledger);

        // The system clock's wall time may be slewed or stepped against its monotonic clock: a CI run on a VM at load 15 saw
        // 35 ms. A second still tells the system clock from any other (a fake clock, or no time at all).
        var tolerance = TimeSpan.FromSeconds(1);
        for (int i = 0; i < 3; i++)
        {
            DateTimeOffset before = DateTimeOffset.UtcNow;
            await client.GetResponseAsync(Question);
            DateTimeOffset after = DateTimeOffset.UtcNow;

            UsageRecord record = _ledger.GetRecords()[^1];
            Assert.InRange(record.Timestamp, before - tolerance, after + tolerance);
            Assert.InRange(record.Latency, TimeSpan.Zero, after - before + tolerance);
        }
    }

    [Fact]
    public async Task Prices_cached_input_tokens_at_the_cached_rate()
    {
        var usage = new UsageDetails { InputTokenCount = 1_000, OutputTokenCount = 500, CachedInputTokenCount = 400 };
        using var client = Create(Replying("ok", usage, model: "gpt-4o-mini"), o =>
            o.Prices["gpt-4o-mini"] = new ModelPrice { InputPerMillion = 0.15m, OutputPerMillion = 0.60m, CachedInputPerMillion = 0.075m });

        await client.GetResponseAsync(Question);

        // 600 uncached x 0.15 + 400 cached x 0.075 + 500 output x 0.60, per million.
        Assert.Equal(0.00042m, Assert.Single(_ledger.GetRecords()).Cost);
    }

    [Fact]
    public async Task Prices_cached_input_tokens_at_the_input_rate_when_no_cached_rate_is_set()
    {
        var usage = new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 0, CachedInputTokenCount = 500_000 };
        using var client = Create(Replying("ok", usage, model: "m"), o => o.Prices["m"] = new ModelPrice { InputPerMillion = 2m, OutputPerMillion = 8m });

        await client.GetResponseAsync(Question);

        Assert.Equal(2m, Assert.Single(_ledger.GetRecords()).Cost);
    }

    [Fact]
    public async Task Prices_a_dated_model_by_its_longest_matching_prefix()
    {
        var usage = new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 1_000_000 };
        using var client = Create(Replying("ok", usage, model: "gpt-4o-mini-2024-07-18"), o =>
        {
            o.Prices["gpt-4o"] = new ModelPrice { InputPerMillion = 2.5m, OutputPerMillion = 10m };
            o.Prices["gpt-4o-mini"] = new ModelPrice { InputPerMillion = 0.15m, OutputPerMillion = 0.6m };
        });

        await client.GetResponseAsync(Question);

        Assert.Equal(0.75m, Assert.Single(_ledger.GetRecords()).Cost);
    }

    [Fact]
    public async Task Records_no_cost_for_a_model_without_a_price()
    {
        var usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 10 };
        using var client = Create(Replying("ok", usage, model: "gpt-4o"), o => o.Prices["gpt-4"] = new ModelPrice { InputPerMillion = 30m, OutputPerMillion = 60m });

        await client.GetResponseAsync(Question);

        Assert.Null(Assert.Single(_ledger.GetRecords()).Cost);
    }

    [Fact]
    public async Task Estimates_tokens_with_the_tokenizer_when_the_provider_reports_no_usage()
    {
        using var client = Create(Replying("The quick brown fox jumps over the lazy dog.", usage: null, model: "gpt-4o"));

        await client.GetResponseAsync(Question);

        UsageRecord record = Assert.Single(_ledger.GetRecords());
        Assert.True(record.IsEstimated);
        Assert.Equal(ChatTokenEstimator.CountTokens(TiktokenTokenCounter.O200kBase, Question), record.InputTokens);
        Assert.Equal(9, record.InputTokens);
        Assert.Equal(10, record.OutputTokens);
    }

    [Fact]
    public async Task Estimates_only_the_count_the_provider_left_out()
    {
        using var client = Create(Replying("hello world", new UsageDetails { InputTokenCount = 42 }, model: "gpt-4"));

        await client.GetResponseAsync(Question);

        UsageRecord record = Assert.Single(_ledger.GetRecords());
        Assert.True(record.IsEstimated);
        Assert.Equal(42, record.InputTokens);
        Assert.Equal(2, record.OutputTokens);
    }

    [Fact]
    public async Task Takes_the_model_from_the_options_then_the_client_metadata_when_the_response_has_none()
    {
        var usage = new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 };
        using var client = Create(Replying("ok", usage, model: null));

        await client.GetResponseAsync(Question, new ChatOptions { ModelId = "asked-model" });
        await client.GetResponseAsync(Question);

        Assert.Equal(["asked-model", "test-model"], _ledger.GetRecords().Select(r => r.Model));
    }

    [Fact]
    public async Task Does_not_record_a_call_that_fails()
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new HttpRequestException("boom") };
        using var client = Create(inner);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync(Question));

        Assert.Empty(_ledger.GetRecords());
    }

    [Fact]
    public async Task Surfaces_failures_and_cancellations_through_the_returned_task()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        using var failing = Create(new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new HttpRequestException("boom") });
        using var cancelled = Create(new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, token) =>
            {
                token.ThrowIfCancellationRequested();
                return Task.FromResult(new ChatResponse());
            },
        });

        Task<ChatResponse> failed = failing.GetResponseAsync(Question);
        Task<ChatResponse> canceled = cancelled.GetResponseAsync(Question, cancellationToken: cancellation.Token);
        Task<ChatResponse> rejected = failing.GetResponseAsync(null!);

        Assert.True(failed.IsFaulted);
        Assert.IsType<HttpRequestException>(failed.Exception!.InnerException);
        Assert.True(canceled.IsCanceled);
        Assert.True(rejected.IsFaulted);
        await Assert.ThrowsAsync<ArgumentNullException>(() => rejected);
        Assert.Empty(_ledger.GetRecords());
    }

    [Fact]
    public async Task Returns_the_response_of_a_call_that_completed_at_once_and_records_it()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { ModelId = "m", Usage = new UsageDetails { InputTokenCount = 3, OutputTokenCount = 2 } };
        using var client = Create(new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(response) });

        Task<ChatResponse> call = client.GetResponseAsync(Question);

        Assert.True(call.IsCompletedSuccessfully);
        Assert.Same(response, await call);
        UsageRecord record = Assert.Single(_ledger.GetRecords());
        Assert.Equal((3L, 2L), (record.InputTokens, record.OutputTokens));
    }

    [Fact]
    public async Task Records_a_stream_once_with_the_usage_content_of_its_updates()
    {
        var inner = Streaming(
            new ChatResponseUpdate(ChatRole.Assistant, "Hel") { ModelId = "gpt-4o-2024-08-06" },
            new ChatResponseUpdate(null, "lo"),
            new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 11, OutputTokenCount = 2, CachedInputTokenCount = 3 })] });
        using var client = Create(inner);

        int updates = 0;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Question))
        {
            updates++;
            Assert.Empty(_ledger.GetRecords());
        }

        Assert.Equal(3, updates);
        UsageRecord record = Assert.Single(_ledger.GetRecords());
        Assert.True(record.IsStreaming);
        Assert.False(record.IsEstimated);
        Assert.Equal("gpt-4o-2024-08-06", record.Model);
        Assert.Equal((11, 2, 3), (record.InputTokens, record.OutputTokens, record.CachedInputTokens));
        Assert.Equal(TimeSpan.FromMilliseconds(300), record.Latency);
    }

    [Fact]
    public async Task Estimates_a_stream_without_usage_from_the_text_received()
    {
        using var client = Create(Streaming(
            new ChatResponseUpdate(ChatRole.Assistant, "The quick brown fox ") { ModelId = "gpt-4" },
            new ChatResponseUpdate(null, "jumps over the lazy dog.")));

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Question))
        {
        }

        UsageRecord record = Assert.Single(_ledger.GetRecords());
        Assert.True(record.IsEstimated);
        Assert.True(record.IsStreaming);
        Assert.Equal(ChatTokenEstimator.CountTokens(TiktokenTokenCounter.Cl100kBase, Question), record.InputTokens);
        Assert.Equal(10, record.OutputTokens);
    }

    [Fact]
    public async Task Records_a_stream_abandoned_after_its_first_update()
    {
        using var client = Create(Streaming(
            new ChatResponseUpdate(ChatRole.Assistant, "hello") { ModelId = "gpt-4o" },
            new ChatResponseUpdate(null, " world")));

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Question))
        {
            break;
        }

        UsageRecord record = Assert.Single(_ledger.GetRecords());
        Assert.True(record.IsEstimated);
        Assert.Equal(1, record.OutputTokens);
    }

    [Fact]
    public async Task Records_a_stream_that_fails_after_updates_but_not_one_that_fails_before()
    {
        using var failsLate = Create(new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => FailAfter(1, ct) });
        using var failsEarly = Create(new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => FailAfter(0, ct) });

        await Assert.ThrowsAsync<InvalidOperationException>(() => Drain(failsEarly.GetStreamingResponseAsync(Question)));
        Assert.Empty(_ledger.GetRecords());

        await Assert.ThrowsAsync<InvalidOperationException>(() => Drain(failsLate.GetStreamingResponseAsync(Question)));
        Assert.True(Assert.Single(_ledger.GetRecords()).IsStreaming);
    }

    [Fact]
    public async Task Refuses_a_call_over_the_cost_budget_before_sending_it()
    {
        var inner = Replying("ok", new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 0 }, model: "gpt-4o");
        using var client = Create(inner, o =>
        {
            o.Prices["gpt-4o"] = new ModelPrice { InputPerMillion = 2.5m, OutputPerMillion = 10m };
            o.Budgets["daily"] = new UsageBudget { MaxCost = 3m, Window = UsageBudgetWindow.Day };
        });
        var options = new ChatOptions { ModelId = "gpt-4o", MaxOutputTokens = 100_000 };

        await client.GetResponseAsync(Question, options); // Spends 2.50; its estimate was 9 input + 100,000 output = 1.00002.

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync(Question, options));
        Assert.Equal(1, inner.CallCount);
        Assert.Single(_ledger.GetRecords());
        Assert.Equal("daily", ex.BudgetName);
        Assert.Equal(3m, ex.MaxCost);
        Assert.Equal(2.5m, ex.SpentCost);
        Assert.Equal(100_009, ex.EstimatedTokens);
        Assert.Equal(((9 * 2.5m) + (100_000 * 10m)) / 1_000_000m, ex.EstimatedCost);
        Assert.Equal(Start.Date.AddDays(1), ex.WindowEndsAt!.Value.UtcDateTime);
        Assert.Contains("'daily'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("max cost 3 USD per day", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Usage:Budgets:daily", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_call_over_the_token_budget_counting_input_and_the_output_allowance()
    {
        var inner = Replying("ok", new UsageDetails { InputTokenCount = 500, OutputTokenCount = 400 });
        using var client = Create(inner, o =>
        {
            o.Budgets["tokens"] = new UsageBudget { MaxTokens = 1_000 };
            o.DefaultMaxOutputTokensForBudget = 100;
        });

        await client.GetResponseAsync(Question); // Spends 900.

        // 900 spent + 9 input + 100 (the default allowance) > 1,000.
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync(Question));
        Assert.Equal((900, 109), (ex.SpentTokens, ex.EstimatedTokens));
        Assert.Equal(1, inner.CallCount);

        // 900 spent + 9 input + 50 (the call's own MaxOutputTokens) fits.
        await client.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 50 });
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Refuses_a_stream_over_budget_without_calling_the_inner_client()
    {
        var inner = Replying("ok", new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 });
        using var client = Create(inner, o => o.Budgets["tiny"] = new UsageBudget { MaxTokens = 5 });

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => Drain(client.GetStreamingResponseAsync(Question)));

        Assert.Equal(0, inner.CallCount);
        Assert.Equal("tiny", ex.BudgetName);
        Assert.Empty(_ledger.GetRecords());
    }

    [Fact]
    public async Task Starts_a_daily_budget_again_from_zero_the_next_day()
    {
        var inner = Replying("ok", new UsageDetails { InputTokenCount = 990, OutputTokenCount = 0 }, latency: TimeSpan.Zero);
        using var client = Create(inner, o => o.Budgets["daily"] = new UsageBudget { MaxTokens = 1_000, Window = UsageBudgetWindow.Day });
        var options = new ChatOptions { MaxOutputTokens = 10 };

        await client.GetResponseAsync(Question, options);
        await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync(Question, options));

        _time.Advance(TimeSpan.FromHours(14)); // 23:00 the same day.
        await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync(Question, options));

        _time.Advance(TimeSpan.FromHours(1)); // 00:00 the next day.
        await client.GetResponseAsync(Question, options);

        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Applies_a_budget_only_to_the_calls_its_filters_match()
    {
        var inner = Replying("ok", new UsageDetails { InputTokenCount = 145, OutputTokenCount = 0 }, model: "gpt-4o-2024-08-06");
        using var client = Create(inner, o => o.Budgets["bot"] = new UsageBudget { MaxTokens = 150, CallerTag = "bot", Model = "gpt-4o" });
        var small = new ChatOptions { ModelId = "gpt-4o-2024-08-06", MaxOutputTokens = 1 };

        using (UsageScope.Begin("bot"))
        {
            await client.GetResponseAsync(Question, small);
            await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync(Question, small));
            await client.GetResponseAsync(Question, new ChatOptions { ModelId = "gpt-4.1", MaxOutputTokens = 1 });
        }

        await client.GetResponseAsync(Question, small);
        Assert.Equal(3, inner.CallCount);
    }

    [Fact]
    public async Task Shares_budget_spending_between_clients_on_the_same_ledger()
    {
        var usage = new UsageDetails { InputTokenCount = 600, OutputTokenCount = 0 };
        using var first = Create(Replying("ok", usage), o => o.Budgets["shared"] = new UsageBudget { MaxTokens = 1_000 });
        using var second = Create(Replying("ok", usage), o => o.Budgets["shared"] = new UsageBudget { MaxTokens = 1_000 });

        await first.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 1 });

        await Assert.ThrowsAsync<BudgetExceededException>(() => second.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 400 }));
    }

    [Fact]
    public async Task Enforces_budgets_over_a_custom_ledger()
    {
        var ledger = new ListLedger();
        var inner = Replying("ok", new UsageDetails { InputTokenCount = 600, OutputTokenCount = 0 });
        var options = new UsageTrackingOptions();
        options.Budgets["custom"] = new UsageBudget { MaxTokens = 1_000 };
        using var first = new UsageTrackingChatClient(inner, ledger, options, _time);
        using var second = new UsageTrackingChatClient(inner, ledger, options, _time);

        await first.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 1 });

        await Assert.ThrowsAsync<BudgetExceededException>(() => second.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 400 }));
        Assert.Single(ledger.GetRecords());
    }

    [Fact]
    public async Task Tags_calls_per_call_then_by_scope_then_by_default()
    {
        using var client = Create(Replying("ok", new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 }), o => o.DefaultCallerTag = "default-tag");
        var tagged = new ChatOptions { AdditionalProperties = new() { [UsageScope.CallerTagKey] = "per-call" } };

        await client.GetResponseAsync(Question);
        using (UsageScope.Begin("checkout-bot"))
        {
            await client.GetResponseAsync(Question);
            await client.GetResponseAsync(Question, tagged);
        }

        Assert.Equal(["default-tag", "checkout-bot", "per-call"], _ledger.GetRecords().Select(r => r.CallerTag));
    }

    [Fact]
    public async Task Records_the_prompt_a_call_was_rendered_from()
    {
        using var client = Create(Replying("ok", new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 }));
        var template = AiEng.Prompts.PromptTemplate.Parse("---\nname: greet\nversion: 3\n---\nuser:\nHello\n", "greet.prompty");
        AiEng.Prompts.PromptRenderResult rendered = template.Render(new Dictionary<string, object?>());

        await client.GetResponseAsync(rendered.Messages, rendered.Options);
        await client.GetResponseAsync(Question);

        Assert.Collection(
            _ledger.GetRecords(),
            r => Assert.Equal(("greet@3", template.File.ContentHash), (r.Prompt, r.PromptHash)),
            r => Assert.Equal((null, null), (r.Prompt, r.PromptHash)));
    }

    [Fact]
    public async Task Emits_no_metrics_unless_enabled()
    {
        using var meters = new TestMeterFactory();
        using var cost = new MetricCollector<double>(meters, "AiEng", "aieng.usage.cost");
        using var client = Create(
            Replying("ok", new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3 }),
            o => o.Prices["gpt-4o-mini"] = new ModelPrice { InputPerMillion = 1_000_000m, OutputPerMillion = 0m },
            meterFactory: meters);

        await client.GetResponseAsync(Question);

        Assert.Single(_ledger.GetRecords());
        Assert.Empty(cost.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Emits_the_cost_metric_with_GenAI_attributes_when_enabled()
    {
        using var meters = new TestMeterFactory();
        using var cost = new MetricCollector<double>(meters, "AiEng", "aieng.usage.cost");
        using var client = Create(
            Replying("ok", new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3 }, model: "gpt-4o-2024-08-06"),
            o =>
            {
                o.EnableMetrics = true;
                o.Prices["gpt-4o"] = new ModelPrice { InputPerMillion = 1_000_000m, OutputPerMillion = 0m };
            },
            meters);

        await client.GetResponseAsync(Question, new ChatOptions { ModelId = "gpt-4o" });

        var measurement = Assert.Single(cost.GetMeasurementSnapshot());
        Assert.Equal(7.0, measurement.Value, 6);
        Assert.Equal("chat", measurement.Tags["gen_ai.operation.name"]);
        Assert.Equal("test", measurement.Tags["gen_ai.provider.name"]);
        Assert.Equal("gpt-4o", measurement.Tags["gen_ai.request.model"]);
        Assert.Equal("gpt-4o-2024-08-06", measurement.Tags["gen_ai.response.model"]);
        Assert.Equal("USD", measurement.Tags["aieng.usage.currency"]);
        Assert.Equal("{USD}", cost.Instrument!.Unit);
    }

    [Fact]
    public async Task Leaves_token_and_duration_metrics_to_UseOpenTelemetry()
    {
        // MEAI's UseOpenTelemetry emits gen_ai.client.token.usage and gen_ai.client.operation.duration; AiEng must not
        // emit a second copy on its own meter, or every token is counted twice.
        using var meters = new TestMeterFactory();
        using var tokens = new MetricCollector<long>(meters, "AiEng", "gen_ai.client.token.usage");
        using var duration = new MetricCollector<double>(meters, "AiEng", "gen_ai.client.operation.duration");
        using var cost = new MetricCollector<double>(meters, "AiEng", "aieng.usage.cost");
        using var client = Create(
            Replying("ok", new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3 }),
            o =>
            {
                o.EnableMetrics = true;
                o.Prices["gpt-4o-mini"] = new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 1m };
            },
            meters);

        await client.GetResponseAsync(Question);

        Assert.Single(cost.GetMeasurementSnapshot());
        Assert.Empty(tokens.GetMeasurementSnapshot());
        Assert.Empty(duration.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Counts_a_call_a_budget_refuses_naming_the_budget()
    {
        using var meters = new TestMeterFactory();
        using var exceeded = new MetricCollector<long>(meters, "AiEng", "aieng.usage.budget.exceeded");
        using var client = Create(
            Replying("ok", new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3 }),
            o =>
            {
                o.EnableMetrics = true;
                o.Budgets["tiny"] = new UsageBudget { MaxTokens = 5 };
            },
            meters);

        await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync(Question));

        var measurement = Assert.Single(exceeded.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal("tiny", measurement.Tags["aieng.budget.name"]);
        Assert.Equal("chat", measurement.Tags["gen_ai.operation.name"]);
        Assert.Equal("{call}", exceeded.Instrument!.Unit);
    }

    [Fact]
    public void Exposes_its_ledger_as_a_service()
    {
        using var client = Create(Replying("ok", usage: null));

        Assert.Same(_ledger, client.GetService<IUsageLedger>());
        Assert.Same(_ledger, client.Ledger);
        Assert.Same(client, client.GetService<UsageTrackingChatClient>());
    }

    [Fact]
    public void Rejects_invalid_options_naming_the_key()
    {
        var options = new UsageTrackingOptions();
        options.Prices["gpt-4o"] = new ModelPrice { InputPerMillion = -1m };

        var ex = Assert.Throws<ArgumentException>(() => new UsageTrackingChatClient(new TestChatClient(), _ledger, options));

        Assert.Contains("AiEng:Usage:Prices:gpt-4o:InputPerMillion", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_its_own_copy_of_the_options()
    {
        var options = new UsageTrackingOptions();
        options.Prices["m"] = new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 1m };
        using var client = new UsageTrackingChatClient(Replying("ok", new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 0 }, model: "m"), _ledger, options, _time);

        options.Prices["m"].InputPerMillion = 100m;
        await client.GetResponseAsync(Question);

        Assert.Equal(1m, Assert.Single(_ledger.GetRecords()).Cost);
    }

    private sealed class ListLedger : IUsageLedger
    {
        private readonly List<UsageRecord> _records = [];

        public void Record(UsageRecord record)
        {
            lock (_records)
            {
                _records.Add(record);
            }
        }

        public IReadOnlyList<UsageRecord> GetRecords()
        {
            lock (_records)
            {
                return [.. _records];
            }
        }
    }

    private static async Task Drain(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        await foreach (ChatResponseUpdate update in updates)
        {
        }
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> FailAfter(int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "partial");
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new InvalidOperationException("The stream broke.");
    }

    [Fact]
    public async Task Keeps_its_own_prices_and_budgets_when_the_caller_changes_its_options_afterwards()
    {
        var options = new UsageTrackingOptions();
        options.Prices["gpt-4o"] = new ModelPrice { InputPerMillion = 1_000_000m };
        options.Budgets["tokens"] = new UsageBudget { MaxTokens = 100_000 };
        using var client = new UsageTrackingChatClient(
            Replying("ok", new UsageDetails { InputTokenCount = 2, OutputTokenCount = 0 }, model: "gpt-4o"), _ledger, options, _time);

        options.Prices["gpt-4o"].InputPerMillion = 9m;
        options.Budgets["tokens"].MaxTokens = 0;
        options.Budgets["none"] = new UsageBudget { MaxCost = 0m };
        await client.GetResponseAsync(Question);

        Assert.Equal(2m, Assert.Single(_ledger.GetRecords()).Cost);
    }

    private UsageTrackingChatClient Create(TestChatClient inner, Action<UsageTrackingOptions>? configure = null, TestMeterFactory? meterFactory = null)
    {
        var options = new UsageTrackingOptions();
        configure?.Invoke(options);
        return new UsageTrackingChatClient(inner, _ledger, options, _time, meterFactory);
    }

    private TestChatClient Replying(string text, UsageDetails? usage, string? model = "gpt-4o-mini", TimeSpan? latency = null) => new()
    {
        GetResponseAsyncCallback = (_, _, _) =>
        {
            _time.Advance(latency ?? TimeSpan.FromMilliseconds(250));
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { ModelId = model, Usage = usage });
        },
    };

    private TestChatClient Streaming(params ChatResponseUpdate[] updates) => new()
    {
        GetStreamingResponseAsyncCallback = (_, _, ct) => Stream(updates, ct),
    };

    private async IAsyncEnumerable<ChatResponseUpdate> Stream(ChatResponseUpdate[] updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (ChatResponseUpdate update in updates)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            _time.Advance(TimeSpan.FromMilliseconds(100));
            yield return update;
        }
    }
}
