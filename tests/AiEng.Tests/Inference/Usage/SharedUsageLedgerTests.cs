using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.Inference.Usage;

/// <summary>The usage middleware over an <see cref="ISharedUsageLedger"/>: budgets see what other instances spent, and calls are recorded asynchronously.</summary>
public sealed class SharedUsageLedgerTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "hello world")];

    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeSharedLedger _ledger = new();

    [Fact]
    public async Task A_budget_counts_what_another_instance_recorded_in_the_window()
    {
        // Another instance spent 2.50 today on a dated variant of the budget's model, and 100 yesterday, which the day budget does not count.
        await _ledger.RecordAsync(Spent(Start.AddHours(-1), "gpt-4o-2024-08-06", 2.5m));
        await _ledger.RecordAsync(Spent(Start.AddDays(-1), "gpt-4o", 100m));
        var inner = Replying(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 10 });
        using var client = Create(inner, o =>
        {
            o.Prices["gpt-4o"] = new ModelPrice { InputPerMillion = 2.5m, OutputPerMillion = 10m };
            o.Budgets["daily"] = new UsageBudget { MaxCost = 3m, Model = "gpt-4o", Window = UsageBudgetWindow.Day };
        });

        // 2.50 spent + (9 input + 100,000 output allowance) priced at 1.00002 > 3.
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync(Question, new ChatOptions { ModelId = "gpt-4o", MaxOutputTokens = 100_000 }));

        Assert.Equal(0, inner.CallCount);
        Assert.Equal(2.5m, ex.SpentCost);
        UsageSpendingQuery query = Assert.Single(_ledger.Queries);
        Assert.Equal(new UsageSpendingQuery { Model = "gpt-4o", Since = Start.Date }, query with { Since = query.Since!.Value.UtcDateTime });

        // A smaller call fits, and goes through.
        await client.GetResponseAsync(Question, new ChatOptions { ModelId = "gpt-4o", MaxOutputTokens = 100 });
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task Calls_are_recorded_through_RecordAsync_so_every_instance_sees_them()
    {
        using var first = Create(Replying(new UsageDetails { InputTokenCount = 40, OutputTokenCount = 10 }), o => o.Budgets["tokens"] = new UsageBudget { MaxTokens = 155 });
        using var second = Create(Replying(new UsageDetails { InputTokenCount = 40, OutputTokenCount = 10 }), o => o.Budgets["tokens"] = new UsageBudget { MaxTokens = 155 });
        var small = new ChatOptions { MaxOutputTokens = 1 };

        await first.GetResponseAsync(Question, small);
        await Drain(second.GetStreamingResponseAsync(Question, small));

        Assert.Equal(2, _ledger.Records.Count);
        Assert.Equal([false, true], _ledger.Records.Select(record => record.IsStreaming).Order());

        // 100 spent by the two + 9 input + 1 output allowance fits 155; a third call spends 50 more, and a fourth (160) cannot fit.
        await first.GetResponseAsync(Question, small);
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => second.GetResponseAsync(Question, small));
        Assert.Equal(150, ex.SpentTokens);
    }

    [Fact]
    public async Task A_stream_over_a_shared_budget_is_refused_before_the_inner_client_is_called()
    {
        await _ledger.RecordAsync(Spent(Start, "gpt-4o-mini", null, tokens: 1_000));
        var inner = Replying(new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 });
        using var client = Create(inner, o => o.Budgets["tiny"] = new UsageBudget { MaxTokens = 1_000 });

        await Assert.ThrowsAsync<BudgetExceededException>(() => Drain(client.GetStreamingResponseAsync(Question)));

        Assert.Equal(0, inner.CallCount);
    }

    [Fact]
    public async Task Embeddings_check_and_record_through_the_shared_ledger()
    {
        var inner = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = (values, _, _) => Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { 1, 0 })))
            {
                Usage = new UsageDetails { InputTokenCount = 30 },
            }),
        };
        var options = new UsageTrackingOptions();
        options.Budgets["embed"] = new UsageBudget { MaxTokens = 50, Operation = "embeddings" };
        using var generator = new UsageTrackingEmbeddingGenerator(inner, _ledger, options, _time);

        await generator.GenerateAsync(["one", "two"]);
        await Assert.ThrowsAsync<BudgetExceededException>(() => generator.GenerateAsync(["three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "twenty-one"]));

        Assert.Equal("embeddings", Assert.Single(_ledger.Records).Operation);
        Assert.Equal("embeddings", Assert.Single(_ledger.Queries.Distinct()).Operation);
    }

    [Fact]
    public async Task A_completed_call_is_recorded_even_when_the_caller_cancelled_meanwhile()
    {
        using var cancellation = new CancellationTokenSource();
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                cancellation.Cancel();
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "done")) { Usage = new UsageDetails { InputTokenCount = 3, OutputTokenCount = 2 } });
            },
        };
        using var client = Create(inner);

        await client.GetResponseAsync(Question, cancellationToken: cancellation.Token);

        Assert.Equal(CancellationToken.None, _ledger.RecordTokens.Single());
        Assert.Equal(5, _ledger.Records.Single().InputTokens + _ledger.Records.Single().OutputTokens);
    }

    [Fact]
    public async Task Over_a_shared_budget_a_question_the_semantic_cache_can_answer_is_served_from_it_and_recorded_as_a_hit()
    {
        var inner = Replying(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 10 });
        using var client = new UsageTrackingChatClient(
            inner.AsBuilder().UseSemanticCache(TestEmbeddingGenerator.FromFunction(text => text == "hello world" ? [1f, 0f] : [0f, 1f]), o => o.Guard = null).Build(),
            _ledger,
            new UsageTrackingOptions
            {
                Prices = { ["gpt-4o"] = new ModelPrice { InputPerMillion = 2.5m, OutputPerMillion = 10m } },
                Budgets = { ["daily"] = new UsageBudget { MaxCost = 3m, Window = UsageBudgetWindow.Day } },
            },
            _time);
        var options = new ChatOptions { ModelId = "gpt-4o", MaxOutputTokens = 100 };
        await client.GetResponseAsync(Question, options);

        // Another instance spends the rest of the day's budget: the cached question is still answered, free; a new one is refused.
        await _ledger.RecordAsync(Spent(Start.AddHours(-1), "gpt-4o", 2.999m));
        ChatResponse response = await client.GetResponseAsync(Question, options);
        await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "something else")], options));

        Assert.Equal("ok", response.Text);
        Assert.Equal(1, inner.CallCount);
        Assert.Equal([false, false, true], _ledger.Records.Select(record => record.IsCacheHit));
        Assert.Equal(0m, _ledger.Records.Last().Cost);
    }

    private static UsageRecord Spent(DateTimeOffset at, string model, decimal? cost, long tokens = 0) => new()
    {
        Timestamp = at,
        Operation = "chat",
        Model = model,
        InputTokens = tokens,
        Cost = cost,
    };

    private static async Task Drain(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        await foreach (ChatResponseUpdate update in updates)
        {
            _ = update;
        }
    }

    private UsageTrackingChatClient Create(TestChatClient inner, Action<UsageTrackingOptions>? configure = null)
    {
        var options = new UsageTrackingOptions();
        configure?.Invoke(options);
        return new UsageTrackingChatClient(inner, _ledger, options, _time);
    }

    private static TestChatClient Replying(UsageDetails usage) => new()
    {
        GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { ModelId = "gpt-4o-mini", Usage = usage }),
        GetStreamingResponseAsyncCallback = (_, _, _) => Stream(usage),
    };

    private static async IAsyncEnumerable<ChatResponseUpdate> Stream(UsageDetails usage, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "ok") { ModelId = "gpt-4o-mini" };
        yield return new ChatResponseUpdate { Contents = [new UsageContent(usage)] };
    }

    /// <summary>A shared ledger in memory that totals as a database would, and refuses the synchronous path the middleware must not use.</summary>
    private sealed class FakeSharedLedger : ISharedUsageLedger
    {
        public ConcurrentQueue<UsageRecord> Records { get; } = new();

        public ConcurrentQueue<UsageSpendingQuery> Queries { get; } = new();

        public ConcurrentQueue<CancellationToken> RecordTokens { get; } = new();

        public void Record(UsageRecord record) => throw new InvalidOperationException("A shared ledger is written through RecordAsync.");

        public IReadOnlyList<UsageRecord> GetRecords() => [.. Records];

        public ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken = default)
        {
            RecordTokens.Enqueue(cancellationToken);
            Records.Enqueue(record);
            return default;
        }

        public ValueTask<UsageSpending> GetSpendingAsync(UsageSpendingQuery query, CancellationToken cancellationToken = default)
        {
            Queries.Enqueue(query);
            UsageRecord[] matching = Records.Where(record =>
                (query.Since is null || record.Timestamp >= query.Since)
                && (query.Operation is null || string.Equals(query.Operation, record.Operation, StringComparison.OrdinalIgnoreCase))
                && (query.CallerTag is null || query.CallerTag == record.CallerTag)
                && (query.Model is null || record.Model == query.Model || record.Model.StartsWith(query.Model + "-", StringComparison.OrdinalIgnoreCase))).ToArray();
            return new(new UsageSpending(matching.Sum(record => record.Cost ?? 0), matching.Sum(record => record.InputTokens + record.OutputTokens)));
        }
    }
}
