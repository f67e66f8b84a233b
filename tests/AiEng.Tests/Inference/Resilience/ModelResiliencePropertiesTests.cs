using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Fallback;
using Polly.Hedging;
using static AiEng.Tests.Inference.Resilience.ResilienceTestKit;

namespace AiEng.Tests.Inference.Resilience;

public class ModelResiliencePropertiesTests
{
    [Fact]
    public async Task A_fallback_finds_the_calls_messages_and_options_and_sends_them_to_a_backup_model()
    {
        IEnumerable<ChatMessage>? sentMessages = null;
        ChatOptions? sentOptions = null;
        var backup = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                sentMessages = messages;
                sentOptions = options;
                return Task.FromResult(Answer("from the backup"));
            },
        };
        var fallback = new ResiliencePipelineBuilder<ChatResponse>()
            .AddFallback(new FallbackStrategyOptions<ChatResponse>
            {
                ShouldHandle = args => ModelFailures.ShouldFallBack(args.Outcome, args.Context),
                FallbackAction = async args => Outcome.FromResult(await backup.GetResponseAsync(
                    args.Context.Properties.GetValue(ModelResilienceProperties.ChatMessages, []),
                    args.Context.Properties.GetValue(ModelResilienceProperties.ChatOptions, null),
                    args.Context.CancellationToken)),
            })
            .Build();
        using var client = new ChatClientBuilder(Scripted(Status(503))).UseResilience(fallback).Build();
        List<ChatMessage> messages = [new(ChatRole.User, "hello")];
        var options = new ChatOptions { Temperature = 0.2f };

        var response = await client.GetResponseAsync(messages, options);

        Assert.Equal("from the backup", response.Text);
        Assert.Same(messages, sentMessages);
        Assert.Same(options, sentOptions);
    }

    [Fact]
    public async Task A_hedged_attempt_finds_the_request_in_its_own_context()
    {
        var seen = new List<IEnumerable<ChatMessage>>();
        var other = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                seen.Add(messages);
                return Task.FromResult(Answer("from the other model"));
            },
        };
        var hedging = new ResiliencePipelineBuilder<ChatResponse>()
            .AddHedging(new HedgingStrategyOptions<ChatResponse>
            {
                ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context),
                ActionGenerator = args => async () => Outcome.FromResult(await other.GetResponseAsync(
                    args.ActionContext.Properties.GetValue(ModelResilienceProperties.ChatMessages, []),
                    args.ActionContext.Properties.GetValue(ModelResilienceProperties.ChatOptions, null),
                    args.ActionContext.CancellationToken)),
            })
            .Build();
        using var client = new ChatClientBuilder(Scripted(Status(500))).UseResilience(hedging).Build();
        List<ChatMessage> messages = [new(ChatRole.User, "hello")];

        Assert.Equal("from the other model", (await client.GetResponseAsync(messages)).Text);
        Assert.Same(messages, Assert.Single(seen));
    }

    [Fact]
    public async Task An_embedding_calls_values_and_options_are_in_the_context_of_a_typed_pipeline()
    {
        IEnumerable<string>? values = null;
        EmbeddingGenerationOptions? options = null;
        var pipeline = new ResiliencePipelineBuilder<GeneratedEmbeddings<Embedding<float>>>()
            .AddFallback(new FallbackStrategyOptions<GeneratedEmbeddings<Embedding<float>>>
            {
                ShouldHandle = args => ModelFailures.ShouldFallBack(args.Outcome, args.Context),
                FallbackAction = args =>
                {
                    values = args.Context.Properties.GetValue(ModelResilienceProperties.EmbeddingValues, []);
                    options = args.Context.Properties.GetValue(ModelResilienceProperties.EmbeddingOptions, null);
                    return Outcome.FromResultAsValueTask(new GeneratedEmbeddings<Embedding<float>>());
                },
            })
            .Build();
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(ScriptedEmbeddings(Status(503))).UseResilience(pipeline).Build();
        string[] input = ["a", "b"];
        var given = new EmbeddingGenerationOptions { Dimensions = 2 };

        await generator.GenerateAsync(input, given);

        Assert.Same(input, values);
        Assert.Same(given, options);
    }

    [Fact]
    public void The_keys_are_distinct_and_named_after_AiEng()
    {
        string[] keys =
        [
            ModelResilienceProperties.ChatMessages.Key,
            ModelResilienceProperties.ChatOptions.Key,
            ModelResilienceProperties.EmbeddingValues.Key,
            ModelResilienceProperties.EmbeddingOptions.Key,
        ];

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, key => Assert.StartsWith("AiEng.", key, StringComparison.Ordinal));
    }
}
