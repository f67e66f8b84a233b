using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Tests.DependencyInjection;

public class AiEngBuilderTests
{
    [Fact]
    public async Task A_custom_chat_client_is_wrapped_by_middleware_added_with_ConfigureChatPipeline()
    {
        var custom = TestChatClient.Replying("from my client");
        using var services = TestServices.Build(
            TestServices.Configuration(("AiEng:Chat:Provider", "NotRegistered")),
            builder => builder
                .UseChatClient(_ => custom)
                .ConfigureChatPipeline(pipeline => pipeline.Use(inner => new SuffixChatClient(inner, " +outer"))));

        var client = services.GetRequiredService<IChatClient>();
        var response = await client.GetResponseAsync("hello");

        Assert.Equal("from my client +outer", response.Text);
        Assert.Equal(1, custom.CallCount);
        Assert.NotNull(client.GetService<SuffixChatClient>());
        StartupValidation.Validate(services);
    }

    [Fact]
    public async Task Pipeline_callbacks_run_in_the_order_added_with_the_first_outermost()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(),
            builder => builder
                .UseChatClient(_ => TestChatClient.Replying("x"))
                .ConfigureChatPipeline(pipeline => pipeline.Use(inner => new SuffixChatClient(inner, "1")))
                .ConfigureChatPipeline(pipeline => pipeline.Use(inner => new SuffixChatClient(inner, "2"))));

        var response = await services.GetRequiredService<IChatClient>().GetResponseAsync("hello");

        // The innermost suffix is appended first.
        Assert.Equal("x21", response.Text);
    }

    [Fact]
    public async Task Middleware_added_for_one_model_wraps_only_that_model_in_the_order_added_with_the_rest()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(),
            builder => builder
                .UseChatClient(_ => TestChatClient.Replying("default"))
                .UseChatClient(_ => TestChatClient.Replying("fast"), "fast")
                .UseChatClient(_ => TestChatClient.Replying("smart"), "smart")
                .ConfigureChatPipeline(pipeline => pipeline.Use(inner => new SuffixChatClient(inner, "[all]")))
                .ConfigureChatPipeline("FAST", pipeline => pipeline.Use(inner => new SuffixChatClient(inner, "[fast]")))
                .ConfigureChatPipeline(null, pipeline => pipeline.Use(inner => new SuffixChatClient(inner, "[default]"))));

        var byDefault = await services.GetRequiredService<IChatClient>().GetResponseAsync("hello");
        var fast = await services.GetRequiredKeyedService<IChatClient>("fast").GetResponseAsync("hello");
        var smart = await services.GetRequiredKeyedService<IChatClient>("smart").GetResponseAsync("hello");

        // The first added is outermost, so its suffix is appended last.
        Assert.Equal("default[default][all]", byDefault.Text);
        Assert.Equal("fast[fast][all]", fast.Text);
        Assert.Equal("smart[all]", smart.Text);
    }

    [Fact]
    public async Task Embedding_middleware_added_for_one_model_wraps_only_that_model()
    {
        int namedCalls = 0;
        using var services = TestServices.Build(
            TestServices.Configuration(),
            builder => builder
                .UseEmbeddingGenerator(_ => TestEmbeddingGenerator.FromFunction(_ => [1f, 0f]))
                .UseEmbeddingGenerator(_ => TestEmbeddingGenerator.FromFunction(_ => [0f, 1f]), "small")
                .ConfigureEmbeddingPipeline("small", pipeline => pipeline.Use(async (values, options, inner, cancellationToken) =>
                {
                    namedCalls++;
                    return await inner.GenerateAsync(values, options, cancellationToken);
                })));

        await services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["a"]);
        Assert.Equal(0, namedCalls);
        await services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("small").GenerateAsync(["a"]);
        Assert.Equal(1, namedCalls);
    }

    [Fact]
    public async Task A_named_custom_chat_client_is_registered_as_a_keyed_service_with_the_pipeline()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(),
            builder => builder
                .UseChatClient(_ => TestChatClient.Replying("mine"), "mine")
                .ConfigureChatPipeline(pipeline => pipeline.Use(inner => new SuffixChatClient(inner, "!"))));

        var response = await services.GetRequiredKeyedService<IChatClient>("mine").GetResponseAsync("hello");

        Assert.Equal("mine!", response.Text);
        StartupValidation.Validate(services);
    }

    [Fact]
    public async Task A_custom_client_replaces_a_configured_named_model_of_the_same_name()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(("AiEng:ChatModels:fast:Provider", "NotRegistered")),
            builder => builder.UseChatClient(_ => TestChatClient.Replying("custom fast"), "fast"));

        StartupValidation.Validate(services);
        var response = await services.GetRequiredKeyedService<IChatClient>("fast").GetResponseAsync("hello");

        Assert.Equal("custom fast", response.Text);
    }

    [Fact]
    public async Task Models_served_by_a_provider_get_the_pipeline_too()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(("AiEng:ChatModels:fast:Provider", "Remote"), ("AiEng:ChatModels:fast:Model", "m1")),
            builder => builder
                .AddProvider(new RemoteModelProvider())
                .ConfigureChatPipeline(pipeline => pipeline.Use(inner => new SuffixChatClient(inner, "!"))));

        var response = await services.GetRequiredKeyedService<IChatClient>("fast").GetResponseAsync("hello");

        Assert.Equal("reply from m1!", response.Text);
    }

    [Fact]
    public async Task A_custom_embedding_generator_is_wrapped_by_middleware_added_with_ConfigureEmbeddingPipeline()
    {
        var custom = TestEmbeddingGenerator.FromFunction(text => [text.Length, 1]);
        var seen = new List<string>();
        using var services = TestServices.Build(
            TestServices.Configuration(),
            builder => builder
                .UseEmbeddingGenerator(_ => custom)
                .ConfigureEmbeddingPipeline(pipeline => pipeline.Use(async (values, options, inner, cancellationToken) =>
                {
                    seen.AddRange(values);
                    return await inner.GenerateAsync(values, options, cancellationToken);
                })));

        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embeddings = await generator.GenerateAsync(["abc"]);

        Assert.Equal([3f, 1f], embeddings[0].Vector.ToArray());
        Assert.Equal(["abc"], seen);
        Assert.Equal(1, custom.CallCount);
        StartupValidation.Validate(services);
    }

    [Fact]
    public void Using_a_client_without_AddAiEng_throws_a_clear_error()
    {
        var builder = new AiEngBuilder(new ServiceCollection());

        var error = Assert.Throws<InvalidOperationException>(() => builder.UseChatClient(_ => TestChatClient.Replying("x")));

        Assert.Contains("AddAiEng", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var builder = new ServiceCollection().AddAiEng(TestServices.Configuration());

        Assert.Throws<ArgumentNullException>(() => builder.UseChatClient(null!));
        Assert.Throws<ArgumentException>(() => builder.UseChatClient(_ => TestChatClient.Replying("x"), " "));
        Assert.Throws<ArgumentNullException>(() => builder.UseEmbeddingGenerator(null!));
        Assert.Throws<ArgumentNullException>(() => builder.ConfigureChatPipeline(null!));
        Assert.Throws<ArgumentNullException>(() => builder.ConfigureEmbeddingPipeline(null!));
        Assert.Throws<ArgumentNullException>(() => builder.ConfigureChatPipeline("fast", null!));
        Assert.Throws<ArgumentException>(() => builder.ConfigureChatPipeline(" ", _ => { }));
        Assert.Throws<ArgumentException>(() => builder.ConfigureEmbeddingPipeline("", _ => { }));
        Assert.Throws<ArgumentNullException>(() => builder.AddProvider(null!));
    }

    /// <summary>A user middleware that appends a suffix to every answer.</summary>
    private sealed class SuffixChatClient(IChatClient inner, string suffix) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, response.Text + suffix));
        }
    }
}
