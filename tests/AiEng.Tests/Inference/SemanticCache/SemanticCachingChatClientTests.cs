using System.Runtime.CompilerServices;
using System.Text.Json;
using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static AiEng.Tests.Inference.SemanticCache.SemanticCacheTestKit;

namespace AiEng.Tests.Inference.SemanticCache;

public sealed class SemanticCachingChatClientTests
{
    private static readonly ChatMessage System = new(ChatRole.System, "You answer geography questions in one sentence.");

    [Fact]
    public async Task A_similar_question_is_answered_from_the_cache_without_calling_the_model()
    {
        var model = Numbered();
        using IChatClient client = Build(model);

        ChatResponse first = await client.GetResponseAsync([System, new(ChatRole.User, "What is the capital of France?")]);
        ChatResponse second = await client.GetResponseAsync([System, new(ChatRole.User, "the capital of France is what")]);

        Assert.Equal("answer 1", first.Text);
        Assert.False(IsHit(first));
        Assert.Equal("answer 1", second.Text);
        Assert.True(IsHit(second));
        Assert.Equal(1.0, (double)second.AdditionalProperties![ResponseCacheProperties.Similarity]!, 6);
        Assert.Null(second.Usage);
        Assert.Equal(1, model.CallCount);
    }

    [Fact]
    public async Task A_question_below_the_threshold_goes_to_the_model()
    {
        var model = Numbered();
        using IChatClient client = Build(model, configure: o => o.Threshold = 0.95);

        await client.GetResponseAsync("What is the capital of France?");
        // Seven of eight words shared: cosine 0.875, under 0.95.
        ChatResponse second = await client.GetResponseAsync("What is the capital city of France?");

        Assert.Equal("answer 2", second.Text);
        Assert.False(IsHit(second));
        Assert.Equal(2, model.CallCount);
    }

    public static TheoryData<string, Func<ChatOptions?>, ChatMessage[]> OtherScopes() => new()
    {
        { "system prompt", () => null, [new(ChatRole.System, "You answer in French."), new(ChatRole.User, "What is the capital of France?")] },
        { "earlier turn", () => null, [System, new(ChatRole.User, "Tell me about Spain."), new(ChatRole.Assistant, "Spain is in Europe."), new(ChatRole.User, "What is the capital of France?")] },
        { "model", () => new ChatOptions { ModelId = "bigger-model" }, [System, new(ChatRole.User, "What is the capital of France?")] },
        { "temperature", () => new ChatOptions { Temperature = 1.2f }, [System, new(ChatRole.User, "What is the capital of France?")] },
        { "top-p", () => new ChatOptions { TopP = 0.5f }, [System, new(ChatRole.User, "What is the capital of France?")] },
        { "max tokens", () => new ChatOptions { MaxOutputTokens = 5 }, [System, new(ChatRole.User, "What is the capital of France?")] },
        { "seed", () => new ChatOptions { Seed = 7 }, [System, new(ChatRole.User, "What is the capital of France?")] },
        { "response format", () => new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, [System, new(ChatRole.User, "What is the capital of France?")] },
        { "tools", () => new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => city, "lookup")] }, [System, new(ChatRole.User, "What is the capital of France?")] },
        { "other property", () => new ChatOptions { AdditionalProperties = new() { ["reasoning_effort"] = "high" } }, [System, new(ChatRole.User, "What is the capital of France?")] },
        { "tool mode", () => new ChatOptions { ToolMode = ChatToolMode.RequireAny }, [System, new(ChatRole.User, "What is the capital of France?")] },
        { "instructions", () => new ChatOptions { Instructions = "Answer in one word." }, [System, new(ChatRole.User, "What is the capital of France?")] },
        { "reasoning", () => new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } }, [System, new(ChatRole.User, "What is the capital of France?")] },
    };

    [Theory]
    [MemberData(nameof(OtherScopes))]
    public async Task Never_serves_a_response_across_a_different_scope(string difference, Func<ChatOptions?> options, ChatMessage[] messages)
    {
        var model = Numbered();
        using IChatClient client = Build(model);
        await client.GetResponseAsync([System, new(ChatRole.User, "What is the capital of France?")]);

        ChatResponse other = await client.GetResponseAsync(messages, options());
        ChatResponse again = await client.GetResponseAsync(messages, options());

        Assert.False(IsHit(other), difference);
        Assert.Equal("answer 2", other.Text);
        // The other scope caches its own answer.
        Assert.True(IsHit(again), difference);
        Assert.Equal("answer 2", again.Text);
    }

    [Fact]
    public async Task Tools_with_the_same_name_but_another_schema_are_another_scope()
    {
        var model = Numbered();
        using IChatClient client = Build(model);
        var byCity = new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => city, "lookup")] };
        var byCode = new ChatOptions { Tools = [AIFunctionFactory.Create((int code) => code, "lookup")] };

        await client.GetResponseAsync("What is the capital of France?", byCity);
        ChatResponse other = await client.GetResponseAsync("What is the capital of France?", byCode);

        Assert.False(IsHit(other));
    }

    [Fact]
    public async Task The_caller_tag_does_not_split_the_scope()
    {
        var model = Numbered();
        using IChatClient client = Build(model);

        await client.GetResponseAsync("What is the capital of France?", new ChatOptions { AdditionalProperties = new() { [UsageScope.CallerTagKey] = "search" } });
        ChatResponse second = await client.GetResponseAsync("What is the capital of France?", new ChatOptions { AdditionalProperties = new() { [UsageScope.CallerTagKey] = "chat" } });

        Assert.True(IsHit(second));
    }

    [Fact]
    public async Task The_additional_scope_keeps_tenants_apart()
    {
        var model = Numbered();
        using IChatClient client = Build(model, configure: o => o.AdditionalScope = (_, options) => options?.AdditionalProperties?["tenant"] as string);

        await client.GetResponseAsync("What is our refund policy?", new ChatOptions { AdditionalProperties = new() { ["tenant"] = "a" } });
        ChatResponse otherTenant = await client.GetResponseAsync("What is our refund policy?", new ChatOptions { AdditionalProperties = new() { ["tenant"] = "b" } });
        ChatResponse sameTenant = await client.GetResponseAsync("What is our refund policy?", new ChatOptions { AdditionalProperties = new() { ["tenant"] = "a" } });

        Assert.False(IsHit(otherTenant));
        Assert.True(IsHit(sameTenant));
        Assert.Equal("answer 1", sameTenant.Text);
    }

    [Fact]
    public async Task An_entry_expires_after_its_time_to_live()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time).BuildServiceProvider();
        var model = Numbered();
        using IChatClient client = model.AsBuilder().UseSemanticCache(BagOfWords(), o => o.TimeToLive = TimeSpan.FromHours(1)).Build(services);

        await client.GetResponseAsync("What is the capital of France?");
        time.Advance(TimeSpan.FromMinutes(59));
        ChatResponse fresh = await client.GetResponseAsync("What is the capital of France?");
        time.Advance(TimeSpan.FromMinutes(1));
        ChatResponse expired = await client.GetResponseAsync("What is the capital of France?");

        Assert.True(IsHit(fresh));
        Assert.False(IsHit(expired));
        Assert.Equal("answer 2", expired.Text);
        Assert.Equal(2, model.CallCount);
    }

    public static TheoryData<string, Func<ChatResponse, ChatResponse>> Uncacheable() => new()
    {
        { "cut by length", r => { r.FinishReason = ChatFinishReason.Length; return r; } },
        { "tool calls finish", r => { r.FinishReason = ChatFinishReason.ToolCalls; return r; } },
        { "content filter", r => { r.FinishReason = ChatFinishReason.ContentFilter; return r; } },
        { "function call", r => { r.Messages[0].Contents.Add(new FunctionCallContent("call-1", "lookup")); return r; } },
        { "error content", r => { r.Messages[0].Contents.Add(new ErrorContent("rate limited")); return r; } },
        { "no text", r => new ChatResponse(new ChatMessage(ChatRole.Assistant, " ")) },
    };

    [Theory]
    [MemberData(nameof(Uncacheable))]
    public async Task Never_caches_a_response_that_is_not_a_complete_answer(string kind, Func<ChatResponse, ChatResponse> shape)
    {
        var model = Numbered(shape);
        using IChatClient client = Build(model);

        await client.GetResponseAsync("What is the capital of France?");
        ChatResponse second = await client.GetResponseAsync("What is the capital of France?");

        Assert.False(IsHit(second), kind);
        Assert.Equal(2, model.CallCount);
    }

    [Fact]
    public async Task A_failed_call_passes_its_exception_through_and_caches_nothing()
    {
        int calls = 0;
        var model = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => ++calls == 1
                ? throw new HttpRequestException("boom")
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "recovered"))),
        };
        using IChatClient client = Build(model);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync("What is the capital of France?"));
        ChatResponse second = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("recovered", second.Text);
        Assert.False(IsHit(second));
    }

    [Fact]
    public async Task Requests_without_a_user_question_last_or_with_a_server_conversation_bypass_the_cache()
    {
        var model = Numbered();
        using IChatClient client = Build(model);
        var conversation = new ChatOptions { ConversationId = "conv-1" };
        ChatMessage[] toolResult = [new(ChatRole.User, "Weather?"), new(ChatRole.Tool, [new FunctionResultContent("call-1", "sunny")])];

        await client.GetResponseAsync("What is the capital of France?", conversation);
        await client.GetResponseAsync("What is the capital of France?", conversation);
        await client.GetResponseAsync(toolResult);
        await client.GetResponseAsync(toolResult);

        Assert.Equal(4, model.CallCount);
    }

    [Fact]
    public async Task A_request_whose_options_cannot_be_hashed_goes_to_the_model_without_the_cache()
    {
        var model = Numbered();
        using IChatClient client = Build(model);
        var options = new ChatOptions { AdditionalProperties = new() { ["handle"] = new Handle() } };

        ChatResponse first = await client.GetResponseAsync("What is the capital of France?", options);
        ChatResponse second = await client.GetResponseAsync("What is the capital of France?", options);

        Assert.Equal("answer 2", second.Text);
        Assert.False(IsHit(second));
    }

    [Fact]
    public async Task A_failing_embedding_model_makes_a_miss_not_a_failure()
    {
        var model = Numbered();
        var embedder = new TestEmbeddingGenerator { GenerateAsyncCallback = (_, _, _) => throw new HttpRequestException("embeddings down") };
        using IChatClient client = Build(model, embedder);

        ChatResponse first = await client.GetResponseAsync("What is the capital of France?");
        ChatResponse second = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("answer 1", first.Text);
        Assert.Equal("answer 2", second.Text);
    }

    [Fact]
    public async Task Invalidating_a_scope_removes_its_entries_only()
    {
        var model = Numbered();
        using IChatClient client = Build(model);
        ChatMessage french = new(ChatRole.System, "You answer in French.");
        await client.GetResponseAsync([System, new(ChatRole.User, "What is the capital of France?")]);
        await client.GetResponseAsync([french, new(ChatRole.User, "What is the capital of France?")]);
        AiEng.Inference.SemanticCache cache = client.GetService<AiEng.Inference.SemanticCache>()!;

        await cache.InvalidateAsync(cache.GetScope([System]));

        Assert.False(IsHit(await client.GetResponseAsync([System, new(ChatRole.User, "What is the capital of France?")])));
        Assert.True(IsHit(await client.GetResponseAsync([french, new(ChatRole.User, "What is the capital of France?")])));
        Assert.Equal(cache.GetScope([System]), cache.GetScope([System, new(ChatRole.User, "any question")]));
    }

    [Fact]
    public async Task Invalidating_all_removes_every_entry()
    {
        var model = Numbered();
        using IChatClient client = Build(model);
        await client.GetResponseAsync("What is the capital of France?");

        await client.GetService<AiEng.Inference.SemanticCache>()!.InvalidateAllAsync();

        Assert.False(IsHit(await client.GetResponseAsync("What is the capital of France?")));
        Assert.Equal(2, model.CallCount);
    }

    [Fact]
    public async Task A_hit_is_streamed_and_a_streamed_answer_is_cached_when_it_completes()
    {
        var model = Numbered();
        using IChatClient client = Build(model);

        ChatResponse streamed = await client.GetStreamingResponseAsync("What is the capital of France?").ToChatResponseAsync();
        List<ChatResponseUpdate> hit = await ToListAsync(client.GetStreamingResponseAsync("the capital of France is what"));
        ChatResponse hitAsResponse = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("answer 1", streamed.Text);
        Assert.NotEmpty(hit);
        Assert.All(hit, u => Assert.Equal(ResponseCacheProperties.Semantic, u.AdditionalProperties![ResponseCacheProperties.Hit]));
        Assert.Equal("answer 1", hit.ToChatResponse().Text);
        Assert.DoesNotContain(hit.SelectMany(u => u.Contents), c => c is UsageContent);
        Assert.True(IsHit(hitAsResponse));
        Assert.Equal(1, model.CallCount);
    }

    [Fact]
    public async Task An_abandoned_or_failed_stream_is_not_cached()
    {
        int calls = 0;
        var model = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => Stream(++calls, ct) };
        using IChatClient client = Build(model);

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("What is the capital of France?"))
        {
            break;
        }

        await Assert.ThrowsAsync<HttpRequestException>(async () => await ToListAsync(client.GetStreamingResponseAsync("What is the capital of France?")));
        List<ChatResponseUpdate> third = await ToListAsync(client.GetStreamingResponseAsync("What is the capital of France?"));

        Assert.Equal(3, model.CallCount);
        Assert.Equal("Paris is the capital.", third.ToChatResponse().Text);
        Assert.DoesNotContain(third, u => u.AdditionalProperties?.ContainsKey(ResponseCacheProperties.Hit) == true);

        static async IAsyncEnumerable<ChatResponseUpdate> Stream(int call, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "Paris ");
            if (call == 2)
            {
                throw new HttpRequestException("connection reset");
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, "is the capital.") { FinishReason = ChatFinishReason.Stop };
        }
    }

    [Fact]
    public async Task A_cancelled_call_throws_and_neither_calls_the_model_nor_caches()
    {
        var model = Numbered();
        using IChatClient client = Build(model);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("What is the capital of France?", cancellationToken: cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ToListAsync(client.GetStreamingResponseAsync("What is the capital of France?", cancellationToken: cts.Token)));

        Assert.Equal(0, model.CallCount);
        Assert.False(IsHit(await client.GetResponseAsync("What is the capital of France?")));
    }

    [Fact]
    public async Task A_hit_is_recorded_in_the_usage_ledger_with_no_model_cost_and_the_embedding_beside_it()
    {
        var ledger = new UsageLedger();
        var model = Numbered();
        IEmbeddingGenerator<string, Embedding<float>> embedder = BagOfWords().AsBuilder()
            .UseUsageTracking(ledger, o => o.Prices["test-embeddings"] = new ModelPrice { InputPerMillion = 0.02m })
            .Build();
        using IChatClient client = model.AsBuilder()
            .UseUsageTracking(ledger, o => o.Prices["test-model"] = new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 2m })
            .UseSemanticCache(embedder, o => o.Guard = null)
            .Build();

        await client.GetResponseAsync("What is the capital of France?", new ChatOptions { AdditionalProperties = new() { [UsageScope.CallerTagKey] = "faq" } });
        await client.GetResponseAsync("What is the capital of France?", new ChatOptions { AdditionalProperties = new() { [UsageScope.CallerTagKey] = "faq" } });
        await client.GetStreamingResponseAsync("What is the capital of France?").ToChatResponseAsync();

        UsageRecord[] chat = [.. ledger.GetRecords().Where(r => r.Operation == UsageOperations.Chat)];
        UsageRecord[] embeddings = [.. ledger.GetRecords().Where(r => r.Operation == UsageOperations.Embeddings)];
        Assert.Equal(3, chat.Length);
        Assert.False(chat[0].IsCacheHit);
        Assert.Equal(0.0014m, chat[0].Cost);
        Assert.All(chat[1..], r =>
        {
            Assert.True(r.IsCacheHit, r.ToString());
            Assert.Equal(0m, r.Cost);
            Assert.Equal(0, r.InputTokens + r.OutputTokens);
        });
        Assert.True(chat[2].IsStreaming);
        Assert.Equal(3, embeddings.Length);
        Assert.All(embeddings, r => Assert.True(r.Cost > 0m));
        Assert.Equal(["faq", "faq", null], embeddings.Select(r => r.CallerTag));
        Assert.Equal(2, ledger.GetTotals().CacheHits);
    }

    [Fact]
    public async Task A_call_the_budget_refuses_is_answered_from_the_cache_when_it_holds_an_answer_and_recorded_as_a_free_hit()
    {
        var ledger = new UsageLedger();
        var model = Numbered();
        using IChatClient client = model.AsBuilder()
            .UseUsageTracking(ledger, o =>
            {
                o.Prices["test-model"] = new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 2m };
                o.Budgets["small"] = new UsageBudget { MaxCost = 0.0025m };
            })
            .UseSemanticCache(BagOfWords(), o => o.Guard = null)
            .Build();

        // The first call (estimated at 0.00206) spends 0.0014 of 0.0025; another call estimated at 0.00206 no longer fits.
        var first = await client.GetResponseAsync("What is the capital of France?");
        Assert.Equal("answer 1", first.Text);
        await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync("How many legs does a spider have?"));

        // Over budget, a question the cache can answer is still answered, free, as a call and as a stream.
        ChatResponse again = await client.GetResponseAsync("what is the capital of france");
        ChatResponse streamed = await client.GetStreamingResponseAsync("What is the capital of France?").ToChatResponseAsync();
        await Assert.ThrowsAsync<BudgetExceededException>(async () => await client.GetStreamingResponseAsync("How many legs does a spider have?").ToChatResponseAsync());

        Assert.Equal(1, model.CallCount);
        Assert.True(IsHit(again));
        Assert.Equal("answer 1", again.Text);
        Assert.True(IsHit(streamed));
        Assert.Equal("answer 1", streamed.Text);
        UsageRecord[] records = [.. ledger.GetRecords()];
        Assert.Equal([false, true, true], records.Select(r => r.IsCacheHit));
        Assert.Equal([false, false, true], records.Select(r => r.IsStreaming));
        Assert.Equal(0.0014m, ledger.GetTotals().Cost);
    }

    [Fact]
    public async Task Checks_its_arguments()
    {
        using IChatClient client = Build(Numbered());

        await Assert.ThrowsAsync<ArgumentNullException>("messages", () => client.GetResponseAsync((IEnumerable<ChatMessage>)null!));
        Assert.Throws<ArgumentNullException>("serviceType", () => client.GetService(null!));
        Assert.Throws<ArgumentNullException>("messages", () => client.GetService<AiEng.Inference.SemanticCache>()!.GetScope(null!));
        await Assert.ThrowsAsync<ArgumentException>("scope", () => client.GetService<AiEng.Inference.SemanticCache>()!.InvalidateAsync(" "));
    }

    [Fact]
    public async Task Keeps_the_cached_response_as_the_model_gave_it()
    {
        var model = Numbered();
        using IChatClient client = Build(model);

        ChatResponse original = await client.GetResponseAsync("What is the capital of France?");
        ChatResponse hit = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal(original.ModelId, hit.ModelId);
        Assert.Equal(original.FinishReason, hit.FinishReason);
        Assert.Equal(
            JsonSerializer.Serialize(original.Messages, AIJsonUtilities.DefaultOptions),
            JsonSerializer.Serialize(hit.Messages, AIJsonUtilities.DefaultOptions));
    }

    /// <summary>A type JSON serialization knows nothing about.</summary>
    private sealed class Handle
    {
        public IntPtr Value { get; } = IntPtr.Zero;
    }

    private static async Task<List<ChatResponseUpdate>> ToListAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in updates)
        {
            list.Add(update);
        }

        return list;
    }
}
