using System.ClientModel;
using AiEng.Inference;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Fallback;
using Polly.Hedging;
using static AiEng.Tests.Inference.Resilience.ResilienceTestKit;

namespace AiEng.Tests.Inference.Resilience;

public class ResilientEmbeddingGeneratorTests
{
    [Fact]
    public async Task Retries_a_429_after_exactly_the_Retry_After_delay()
    {
        var time = Clock();
        var inner = ScriptedEmbeddings(Status(429, headers: ("Retry-After", "3")), "ok");
        using var generator = new ResilientEmbeddingGenerator<string, Embedding<float>>(inner, Exact(), time);

        var call = generator.GenerateAsync(["a", "b"]);

        time.AdvanceJustBefore(TimeSpan.FromSeconds(3));
        Assert.Equal(1, inner.CallCount);
        Assert.False(call.IsCompleted);
        time.AdvanceOneTick();
        Assert.Equal(2, (await call).Count);
        Assert.Equal(2, inner.CallCount);
    }

    [Fact]
    public async Task Retries_5xx_with_exponential_backoff()
    {
        var time = Clock();
        var inner = ScriptedEmbeddings(Status(503), Status(500), "ok");
        using var generator = new ResilientEmbeddingGenerator<string, Embedding<float>>(inner, Exact(o => o.BaseDelay = TimeSpan.FromSeconds(2)), time);

        var call = generator.GenerateAsync(["a"]);

        time.AdvanceJustBefore(TimeSpan.FromSeconds(2));
        Assert.Equal(1, inner.CallCount);
        time.AdvanceOneTick();
        Assert.Equal(2, inner.CallCount);
        time.AdvanceJustBefore(TimeSpan.FromSeconds(4));
        Assert.Equal(2, inner.CallCount);
        time.AdvanceOneTick();
        Assert.Single(await call);
        Assert.Equal(3, inner.CallCount);
    }

    [Fact]
    public async Task Does_not_retry_a_401_and_names_the_embeddings_key_setting()
    {
        var inner = ScriptedEmbeddings(Status(401), "never");
        inner.Metadata = new EmbeddingGeneratorMetadata("openai", null, "text-embedding-3-small");
        using var generator = new ResilientEmbeddingGenerator<string, Embedding<float>>(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), Clock());

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => generator.GenerateAsync(["private text"]));

        Assert.Equal(1, inner.CallCount);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal("text-embedding-3-small", error.ModelId);
        Assert.Contains("embedding request", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Embeddings:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng__Embeddings__ApiKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("private text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Surfaces_the_last_failure_after_MaxRetryAttempts_plus_one_calls()
    {
        var inner = ScriptedEmbeddings(Status(502));
        using var generator = new ResilientEmbeddingGenerator<string, Embedding<float>>(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), Clock());

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => generator.GenerateAsync(["a"]));

        Assert.Equal(4, inner.CallCount);
        Assert.Equal(4, error.Attempts);
        Assert.Equal(502, Assert.IsType<ClientResultException>(error.InnerException).Status);
    }

    [Fact]
    public async Task Does_not_retry_when_the_caller_cancels()
    {
        var inner = ScriptedEmbeddings(Hang, "never");
        using var generator = new ResilientEmbeddingGenerator<string, Embedding<float>>(inner, Exact(o => o.BaseDelay = TimeSpan.Zero), Clock());
        using var cancellation = new CancellationTokenSource();

        var call = generator.GenerateAsync(["a"], cancellationToken: cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task Hedging_the_fast_hedged_attempt_wins_and_the_slow_first_attempt_is_cancelled()
    {
        var time = Clock();
        var tokens = new List<CancellationToken>();
        var inner = new AiEng.Testing.TestEmbeddingGenerator
        {
            GenerateAsyncCallback = async (values, _, token) =>
            {
                tokens.Add(token);
                if (tokens.Count == 1)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, token).ConfigureAwait(false);
                }

                return new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { tokens.Count, 0 })));
            },
        };
        var hedging = new ResiliencePipelineBuilder<GeneratedEmbeddings<Embedding<float>>> { TimeProvider = time }
            .AddHedging(new HedgingStrategyOptions<GeneratedEmbeddings<Embedding<float>>>
            {
                Delay = TimeSpan.FromSeconds(1),
                ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context),
            })
            .Build();
        var attempts = new ResiliencePipelineBuilder { TimeProvider = time }.AddModelResilience(Exact()).Build();
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner).UseResilience(attempts, hedging).Build();

        var call = generator.GenerateAsync(["a"]);
        time.AdvanceJustBefore(TimeSpan.FromSeconds(1));
        Assert.Single(tokens);
        time.AdvanceOneTick();

        var embeddings = await call.WaitAsync(TimeSpan.FromSeconds(30)); // Polly waits for the losing attempt to end: fail rather than hang if it is not cancelled
        Assert.Equal(2f, embeddings[0].Vector.Span[0]);
        Assert.Equal(2, tokens.Count);
        Assert.True(tokens[0].IsCancellationRequested);
        Assert.NotEqual(tokens[0], tokens[1]);
    }

    [Fact]
    public async Task A_fallback_answers_when_the_model_fails_and_the_typed_pipeline_alone_still_reports_client_errors()
    {
        var fallback = new ResiliencePipelineBuilder<GeneratedEmbeddings<Embedding<float>>>()
            .AddFallback(new FallbackStrategyOptions<GeneratedEmbeddings<Embedding<float>>>
            {
                ShouldHandle = args => ModelFailures.ShouldFallBack(args.Outcome, args.Context),
                FallbackAction = _ => Outcome.FromResultAsValueTask(new GeneratedEmbeddings<Embedding<float>>([new Embedding<float>(new float[] { 9, 9 })])),
            })
            .Build();

        var failing = ScriptedEmbeddings(Status(503));
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(failing).UseResilience(fallback).Build();
        Assert.Equal(9f, (await generator.GenerateAsync(["a"]))[0].Vector.Span[0]);
        Assert.Equal(1, failing.CallCount);

        var rejected = ScriptedEmbeddings(Status(401));
        using var rejecting = new ResilientEmbeddingGenerator<string, Embedding<float>>(rejected, pipeline: null, fallback);
        var error = await Assert.ThrowsAsync<ModelRequestException>(() => rejecting.GenerateAsync(["a"]));
        Assert.Equal(401, error.StatusCode);
        Assert.Contains("AiEng:Embeddings:ApiKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_invalid_options_when_created()
    {
        var options = new ResilienceOptions { AttemptTimeout = TimeSpan.FromMilliseconds(1) };

        var error = Assert.Throws<ArgumentException>(() => new ResilientEmbeddingGenerator<string, Embedding<float>>(ScriptedEmbeddings("ok"), options));

        Assert.Contains("AttemptTimeout", error.Message, StringComparison.Ordinal);
    }
}
