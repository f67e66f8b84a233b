using AiEng.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Polly;
using Polly.Fallback;
using Polly.Hedging;
using Polly.Registry;
using Polly.Retry;
using static AiEng.Tests.Inference.Resilience.ResilienceTestKit;

namespace AiEng.Tests.Inference.Resilience;

public class ModelResiliencePipelinesTests
{
    [Fact]
    public void Names_one_key_per_model()
    {
        Assert.Equal("aieng:chat", ModelResiliencePipelines.ChatKey(null));
        Assert.Equal("aieng:chat:fast", ModelResiliencePipelines.ChatKey("fast"));
        Assert.Equal("aieng:embeddings", ModelResiliencePipelines.EmbeddingsKey(null));
        Assert.Equal("aieng:embeddings:small", ModelResiliencePipelines.EmbeddingsKey("small"));
        Assert.Throws<ArgumentException>(() => ModelResiliencePipelines.ChatKey(" "));
    }

    [Fact]
    public void AddAiEng_registers_a_pipeline_per_model_in_Pollys_registry()
    {
        var services = new ServiceCollection();
        services.AddAiEng(Configuration(("AiEng:ChatModels:fast:Provider", "Offline"), ("AiEng:EmbeddingModels:small:Provider", "Offline")));
        using var provider = services.BuildServiceProvider();

        var pipelines = provider.GetRequiredService<ResiliencePipelineProvider<string>>();
        foreach (var key in new[] { "aieng:chat", "aieng:chat:fast", "aieng:embeddings", "aieng:embeddings:small" })
        {
            Assert.True(pipelines.TryGetPipeline(key, out _), key);
        }

        Assert.False(pipelines.TryGetPipeline("aieng:chat:other", out _));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_applications_pipeline_under_a_models_key_wins_whether_registered_before_or_after_AddAiEng(bool before)
    {
        var services = new ServiceCollection();
        var retries = 0;
        void AddOwn() => services.AddResiliencePipeline(ModelResiliencePipelines.ChatKey(null), builder => builder.AddRetry(new RetryStrategyOptions
        {
            Delay = TimeSpan.Zero,
            ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context),
            OnRetry = _ =>
            {
                retries++;
                return default;
            },
        }));

        if (before)
        {
            AddOwn();
        }

        var inner = Scripted(Status(503), "done");
        services.AddAiEng(Configuration()).UseChatClient(_ => inner);
        if (!before)
        {
            AddOwn();
        }

        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();

        // AiEng's own pipeline would wait about 1 s (BaseDelay) before its retry; the application's retries at once.
        var call = client.GetResponseAsync("hello");
        await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(800)));
        Assert.True(call.IsCompleted);
        Assert.Equal("done", (await call).Text);
        Assert.Equal(1, retries);
    }

    [Fact]
    public async Task Named_models_and_embedding_models_run_through_the_pipelines_of_their_own_keys()
    {
        var services = new ServiceCollection();
        var retries = new Dictionary<string, int>();
        foreach (var key in new[] { "aieng:chat", "aieng:chat:fast", "aieng:embeddings" })
        {
            retries[key] = 0;
            services.AddResiliencePipeline(key, builder => builder.AddRetry(new RetryStrategyOptions
            {
                Delay = TimeSpan.Zero,
                ShouldHandle = new PredicateBuilder().HandleTransientModelFailures(),
                OnRetry = _ =>
                {
                    retries[key]++;
                    return default;
                },
            }));
        }

        services.AddAiEng(Configuration())
            .UseChatClient(_ => Scripted(Status(503), Status(503), "fast"), "fast")
            .UseEmbeddingGenerator(_ => ScriptedEmbeddings(Status(503), "ok"));
        using var provider = services.BuildServiceProvider();

        Assert.Equal("fast", (await provider.GetRequiredKeyedService<IChatClient>("fast").GetResponseAsync("hello")).Text);
        Assert.Single(await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["hello"]));

        Assert.Equal(0, retries["aieng:chat"]);
        Assert.Equal(2, retries["aieng:chat:fast"]);
        Assert.Equal(1, retries["aieng:embeddings"]);
    }

    [Fact]
    public async Task A_retry_in_AiEngs_pipeline_is_logged_by_Pollys_telemetry_under_the_models_key()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddFakeLogging());
        var inner = Scripted(Status(503), "done");
        services.AddAiEng(Configuration(("AiEng:Resilience:BaseDelay", "00:00:00"))).UseChatClient(_ => inner);
        using var provider = services.BuildServiceProvider();

        Assert.Equal("done", (await provider.GetRequiredService<IChatClient>().GetResponseAsync("hello")).Text);

        var retry = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), record =>
            record.Category == "Polly" && record.Message.Contains("OnRetry", StringComparison.Ordinal));
        Assert.Contains("aieng:chat", retry.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng.Retry", retry.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Warning, retry.Level);
    }

    [Fact]
    public async Task Honours_Retry_After_exactly_in_the_registered_pipeline_with_the_applications_clock()
    {
        var time = Clock();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        var inner = Scripted(Status(429, null, ("retry-after-ms", "1500")), "done");
        services.AddAiEng(Configuration(("AiEng:Resilience:UseJitter", "false"), ("AiEng:Resilience:CircuitBreaker:Enabled", "false")))
            .UseChatClient(_ => inner);
        using var provider = services.BuildServiceProvider();

        var call = provider.GetRequiredService<IChatClient>().GetResponseAsync("hello");
        time.AdvanceJustBefore(TimeSpan.FromMilliseconds(1500));
        Assert.False(call.IsCompleted);
        Assert.Equal(1, inner.CallCount);
        time.AdvanceOneTick();
        Assert.Equal("done", (await call).Text);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task UseResilience_with_a_key_runs_calls_through_the_registered_pipeline_and_reports_exhaustion()
    {
        var services = new ServiceCollection();
        services.AddResiliencePipeline("my-chat", builder => builder.AddModelResilience(Exact(o => { o.BaseDelay = TimeSpan.Zero; o.MaxRetryAttempts = 2; })));
        using var provider = services.BuildServiceProvider();
        var inner = Scripted(Status(503));
        using var client = new ChatClientBuilder(inner).UseResilience("my-chat").Build(provider);

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(3, inner.CallCount);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(503, error.StatusCode);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void UseResilience_with_an_unknown_key_fails_when_built_and_names_the_key()
    {
        var services = new ServiceCollection();
        services.AddResiliencePipeline("other", _ => { });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => new ChatClientBuilder(Scripted("ok")).UseResilience("missing").Build(provider));
        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddResiliencePipeline", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new ChatClientBuilder(Scripted("ok")).UseResilience("missing").Build());
    }

    [Fact]
    public async Task UseResilience_with_a_pipeline_retries_a_stream_only_before_its_first_update()
    {
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions { Delay = TimeSpan.Zero, MaxRetryAttempts = 3, ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context) })
            .Build();
        var attempts = 0;
        var inner = new AiEng.Testing.TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, token) => ++attempts switch
            {
                1 => Stream(Status(503), token),
                _ => Stream(Status(502), token, "a", "b"),
            },
        };
        using var client = new ChatClientBuilder(inner).UseResilience(pipeline).Build();

        var texts = new List<string>();
        var error = await Assert.ThrowsAnyAsync<System.ClientModel.ClientResultException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hello"))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Equal(502, error.Status);
        Assert.Equal(["a", "b"], texts);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_typed_pipeline_under_a_models_key_runs_its_non_streaming_calls_around_AiEngs_pipeline()
    {
        var services = new ServiceCollection();
        services.AddResiliencePipeline<string, ChatResponse>(ModelResiliencePipelines.ChatKey(null), builder => builder.AddFallback(Fallback("from the fallback")));
        var inner = Scripted(Status(503));
        services.AddAiEng(Configuration(("AiEng:Resilience:BaseDelay", "00:00:00"), ("AiEng:Resilience:MaxRetryAttempts", "2"))).UseChatClient(_ => inner);
        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();

        Assert.Equal("from the fallback", (await client.GetResponseAsync("hello")).Text);

        // AiEng's untyped pipeline of the key is still there, inside: it retried twice before the fallback answered.
        Assert.Equal(3, inner.CallCount);
        Assert.True(provider.GetRequiredService<ResiliencePipelineProvider<string>>().TryGetPipeline(ModelResiliencePipelines.ChatKey(null), out _));
    }

    [Fact]
    public async Task A_typed_pipeline_does_not_apply_to_streaming_calls_which_keep_the_untyped_pipeline()
    {
        var services = new ServiceCollection();
        services.AddResiliencePipeline<string, ChatResponse>(ModelResiliencePipelines.ChatKey(null), builder => builder.AddFallback(Fallback("from the fallback")));
        var inner = Scripted(Status(503));
        services.AddAiEng(Configuration(("AiEng:Resilience:BaseDelay", "00:00:00"), ("AiEng:Resilience:MaxRetryAttempts", "1"))).UseChatClient(_ => inner);
        using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<ModelRequestException>(async () =>
        {
            await foreach (var update in provider.GetRequiredService<IChatClient>().GetStreamingResponseAsync("hello"))
            {
                Assert.Fail("The failing stream produced an update: " + update.Text);
            }
        });

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Typed_pipelines_are_picked_up_under_the_keys_of_named_chat_models_and_of_embedding_models()
    {
        var services = new ServiceCollection();
        services.AddResiliencePipeline<string, ChatResponse>(ModelResiliencePipelines.ChatKey("fast"), builder => builder.AddFallback(Fallback("fast fallback")));
        services.AddResiliencePipeline<string, GeneratedEmbeddings<Embedding<float>>>(ModelResiliencePipelines.EmbeddingsKey(null), builder => builder
            .AddFallback(new FallbackStrategyOptions<GeneratedEmbeddings<Embedding<float>>>
            {
                ShouldHandle = args => ModelFailures.ShouldFallBack(args.Outcome, args.Context),
                FallbackAction = _ => Outcome.FromResultAsValueTask(new GeneratedEmbeddings<Embedding<float>>([new Embedding<float>(new float[] { 7, 7 })])),
            }));
        services.AddAiEng(Configuration(("AiEng:Resilience:MaxRetryAttempts", "0")))
            .UseChatClient(_ => Scripted(Status(503)))
            .UseChatClient(_ => Scripted(Status(503)), "fast")
            .UseEmbeddingGenerator(_ => ScriptedEmbeddings(Status(503)));
        using var provider = services.BuildServiceProvider();

        Assert.Equal("fast fallback", (await provider.GetRequiredKeyedService<IChatClient>("fast").GetResponseAsync("hello")).Text);
        Assert.Equal(7f, (await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["a"]))[0].Vector.Span[0]);

        // The default chat model has no typed pipeline: its failure is reported as before.
        var error = await Assert.ThrowsAsync<ModelRequestException>(() => provider.GetRequiredService<IChatClient>().GetResponseAsync("hello"));
        Assert.Equal(503, error.StatusCode);
    }

    [Fact]
    public async Task A_hedging_pipeline_registered_under_a_models_key_logs_its_hedged_attempts_with_Pollys_telemetry()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddFakeLogging());
        services.AddResiliencePipeline<string, ChatResponse>(ModelResiliencePipelines.ChatKey(null), builder => builder.AddHedging(new HedgingStrategyOptions<ChatResponse>
        {
            ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context),
        }));
        var inner = Scripted(Status(503), "hedged");
        services.AddAiEng(Configuration(("AiEng:Resilience:MaxRetryAttempts", "0"))).UseChatClient(_ => inner);
        using var provider = services.BuildServiceProvider();

        Assert.Equal("hedged", (await provider.GetRequiredService<IChatClient>().GetResponseAsync("hello")).Text);

        Assert.Equal(2, inner.CallCount);
        var hedged = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), record =>
            record.Category == "Polly" && record.Message.Contains("OnHedging", StringComparison.Ordinal));
        Assert.Contains("aieng:chat", hedged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseResilience_with_a_key_runs_a_typed_pipeline_registered_alone_under_it()
    {
        var services = new ServiceCollection();
        services.AddResiliencePipeline<string, ChatResponse>("my-chat", builder => builder.AddFallback(Fallback("from the fallback")));
        using var provider = services.BuildServiceProvider();
        var inner = Scripted(Status(503));
        using var client = new ChatClientBuilder(inner).UseResilience("my-chat").Build(provider);

        Assert.Equal("from the fallback", (await client.GetResponseAsync("hello")).Text);
        Assert.Equal(1, inner.CallCount);

        // Streams have no pipeline then: sent once, their failure reported.
        var error = await Assert.ThrowsAsync<ModelRequestException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hello"))
            {
                Assert.Fail("The failing stream produced an update: " + update.Text);
            }
        });
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task UseResilience_with_a_key_composes_the_typed_and_the_untyped_pipeline_of_the_key()
    {
        var services = new ServiceCollection();
        services.AddResiliencePipeline<string, GeneratedEmbeddings<Embedding<float>>>("my-embeddings", builder => builder
            .AddFallback(new FallbackStrategyOptions<GeneratedEmbeddings<Embedding<float>>>
            {
                ShouldHandle = args => ModelFailures.ShouldFallBack(args.Outcome, args.Context),
                FallbackAction = _ => Outcome.FromResultAsValueTask(new GeneratedEmbeddings<Embedding<float>>([new Embedding<float>(new float[] { 5, 5 })])),
            }));
        services.AddResiliencePipeline("my-embeddings", builder => builder.AddModelResilience(Exact(o => { o.BaseDelay = TimeSpan.Zero; o.MaxRetryAttempts = 2; })));
        using var provider = services.BuildServiceProvider();
        var inner = ScriptedEmbeddings(Status(503));
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner).UseResilience("my-embeddings").Build(provider);

        Assert.Equal(5f, (await generator.GenerateAsync(["a"]))[0].Vector.Span[0]);
        Assert.Equal(3, inner.CallCount);
    }

    [Fact]
    public void UseResilience_with_a_key_that_has_no_pipeline_names_both_registrations()
    {
        var services = new ServiceCollection();
        services.AddResiliencePipeline("other", _ => { });
        using var provider = services.BuildServiceProvider();

        var chat = Assert.Throws<InvalidOperationException>(() => new ChatClientBuilder(Scripted("ok")).UseResilience("missing").Build(provider));
        Assert.Contains("AddResiliencePipeline<string, ChatResponse>(\"missing\"", chat.Message, StringComparison.Ordinal);
        var embeddings = Assert.Throws<InvalidOperationException>(
            () => new EmbeddingGeneratorBuilder<string, Embedding<float>>(ScriptedEmbeddings("ok")).UseResilience("missing").Build(provider));
        Assert.Contains("AddResiliencePipeline<string, GeneratedEmbeddings<Embedding<float>>>(\"missing\"", embeddings.Message, StringComparison.Ordinal);
    }

    private static FallbackStrategyOptions<ChatResponse> Fallback(string text) => new()
    {
        ShouldHandle = args => ModelFailures.ShouldFallBack(args.Outcome, args.Context),
        FallbackAction = _ => Outcome.FromResultAsValueTask(Answer(text)),
    };

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
