using AiEng.Testing;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
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
    public void AddOptions_binds_its_section_and_reports_every_invalid_key_with_its_environment_variable_and_an_example()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(
                ("AiEng:Gadget:Size", "0"),
                ("AiEng:Gadget:Level", "9"),
                ("AiEng:Gadget:Color", ""),
                ("AiEng:Gadget:Code", "abcd"),
                ("AiEng:Gadget:Delay", "soon"),
                ("AiEng:Gadget:Part:Weight", "2"),
                ("AiEng:Gadget:Spares:0:Weight", "-1")),
            builder => builder.AddOptions<GadgetOptions, GadgetOptionsAnnotationValidator>("Gadget"));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Equal(
            [
                "AiEng:Gadget:Delay is 'soon', which is not a duration such as 00:00:30, for example 00:00:01 (environment variable AiEng__Gadget__Delay=00:00:01).",
                "AiEng:Gadget:Size is 0 but must be between 1 and 100, for example 10 (environment variable AiEng__Gadget__Size=10).",
                "AiEng:Gadget:Level is 9 but must be between 1 and 5, for example 3 (environment variable AiEng__Gadget__Level=3).",
                "AiEng:Gadget:Color is '' but must be set, for example blue (environment variable AiEng__Gadget__Color=blue).",
                "AiEng:Gadget:Code: too long (it is 'abcd'), for example abc (environment variable AiEng__Gadget__Code=abc).",
                "AiEng:Gadget:Part:Weight is 2 but must be between 0 and 1, for example 0.5 (environment variable AiEng__Gadget__Part__Weight=0.5).",
                "AiEng:Gadget:Spares:0:Weight is -1 but must be between 0 and 1, for example 0.5 (environment variable AiEng__Gadget__Spares__0__Weight=0.5).",
            ],
            error.Failures);
    }

    [Fact]
    public void AddOptions_of_a_named_instance_names_its_keys_and_binds_once_however_often_it_is_called()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(("AiEng:Gadgets:big:Size", "500"), ("AiEng:Gadgets:big:Spares:0:Weight", "0.1")),
            builder =>
            {
                builder.AddOptions<GadgetOptions, GadgetOptionsAnnotationValidator>("Gadgets:big", "big");
                builder.AddOptions<GadgetOptions, GadgetOptionsAnnotationValidator>("Gadgets:big", "big");
            });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<GadgetOptions>>().Get("big"));

        Assert.Equal("big", error.OptionsName);
        Assert.Equal(
            "AiEng:Gadgets:big:Size is 500 but must be between 1 and 100, for example 10 (environment variable AiEng__Gadgets__big__Size=10).",
            Assert.Single(error.Failures));
        Assert.Equal(10, services.GetRequiredService<IOptionsMonitor<GadgetOptions>>().Get(Options.DefaultName).Size);
    }

    [Fact]
    public void AddOptions_called_again_binds_nothing_twice()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(("AiEng:Gadget:Spares:0:Weight", "0.1")),
            builder =>
            {
                builder.AddOptions<GadgetOptions, GadgetOptionsAnnotationValidator>("Gadget");
                builder.AddOptions<GadgetOptions, GadgetOptionsAnnotationValidator>("Gadget");
            });

        var options = services.GetRequiredService<IOptions<GadgetOptions>>().Value;

        Assert.Equal(0.1, Assert.Single(options.Spares).Weight);
        Assert.Single(services.GetServices<IValidateOptions<GadgetOptions>>(), validator => validator.GetType().Name.StartsWith("AnnotatedOptionsValidator", StringComparison.Ordinal));
    }

    [Fact]
    public void AddOptions_rejects_binding_the_same_options_from_another_section()
    {
        var builder = new ServiceCollection().AddAiEng(TestServices.Configuration());
        builder.AddOptions<GadgetOptions>("Gadget");

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddOptions<GadgetOptions>("Other"));

        Assert.Contains("already bound from AiEng:Gadget; they cannot also be bound from AiEng:Other", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOptions_validates_options_set_in_code_naming_the_keys_the_configuration_would_use()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITokenCounter>(new WordTokenCounter());
        services.AddAiEng(_ => { }).AddOptions<GadgetOptions, GadgetOptionsAnnotationValidator>("Gadget").Configure(options => options.Part.Weight = -0.5);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(provider));

        Assert.Equal(
            "AiEng:Gadget:Part:Weight is -0.5 but must be between 0 and 1, for example 0.5 (environment variable AiEng__Gadget__Part__Weight=0.5).",
            Assert.Single(error.Failures));
    }

    [Fact]
    public void AddOptions_binds_again_when_the_configuration_reloads()
    {
        IConfigurationRoot configuration = TestServices.Configuration(("AiEng:Gadget:Size", "20"));
        using var services = TestServices.Build(configuration, builder => builder.AddOptions<GadgetOptions>("Gadget"));
        var monitor = services.GetRequiredService<IOptionsMonitor<GadgetOptions>>();
        Assert.Equal(20, monitor.CurrentValue.Size);

        configuration["AiEng:Gadget:Size"] = "30";
        configuration.Reload();

        Assert.Equal(30, monitor.CurrentValue.Size);
    }

    [Fact]
    public void AddOptions_checks_its_arguments_and_needs_AddAiEng()
    {
        var builder = new ServiceCollection().AddAiEng(TestServices.Configuration());

        Assert.Throws<ArgumentNullException>(() => builder.AddOptions<GadgetOptions>(null!));
        Assert.Throws<ArgumentException>(() => builder.AddOptions<GadgetOptions>(" "));
        Assert.Throws<ArgumentException>(() => builder.AddOptions<GadgetOptions>("Gadget", " "));
        Assert.Throws<InvalidOperationException>(() => new AiEngBuilder(new ServiceCollection()).AddOptions<GadgetOptions>("Gadget"));
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
