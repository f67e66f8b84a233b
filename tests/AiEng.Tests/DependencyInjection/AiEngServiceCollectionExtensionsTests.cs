using AiEng.Inference;
using AiEng.Offline;
using AiEng.Providers;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Tests.DependencyInjection;

public class AiEngServiceCollectionExtensionsTests
{
    [Fact]
    public void Binds_the_AiEng_section_of_the_root_configuration()
    {
        var remote = new RemoteModelProvider();
        var configuration = TestServices.Configuration(
            ("AiEng:Chat:Provider", "Remote"),
            ("AiEng:Chat:Model", "gpt-4o-mini"),
            ("AiEng:Chat:Endpoint", "http://localhost:8080/v1"),
            ("AiEng:Chat:ApiKey", "key-1"),
            ("AiEng:Chat:Settings:Temperature", "0.2"),
            ("AiEng:ChatModels:fast:Model", "small"),
            ("AiEng:EmbeddingModels:minilm:Provider", "Remote"),
            ("AiEng:EmbeddingModels:minilm:Model", "all-MiniLM-L6-v2"));
        using var services = TestServices.Build(configuration, builder => builder.AddProvider(remote));

        var options = services.GetRequiredService<IOptions<AiEngOptions>>().Value;

        Assert.Equal("Remote", options.Chat.Provider);
        Assert.Equal("gpt-4o-mini", options.Chat.Model);
        Assert.Equal("http://localhost:8080/v1", options.Chat.Endpoint);
        Assert.Equal("key-1", options.Chat.ApiKey);
        Assert.Equal("0.2", options.Chat.Settings["temperature"]);
        Assert.Equal("small", options.ChatModels["fast"].Model);
        Assert.Equal("all-MiniLM-L6-v2", options.EmbeddingModels["minilm"].Model);
        Assert.Equal("Onnx", options.Embeddings.Provider);
    }

    [Fact]
    public void Binds_a_configuration_section_passed_directly_and_names_keys_by_its_path()
    {
        var configuration = TestServices.Configuration(("MyApp:Ai:Chat:Provider", "Nope"));
        using var services = TestServices.Build(configuration.GetSection("MyApp:Ai"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AiEngOptions>>().Value);

        Assert.Contains("MyApp:Ai:Chat:Provider is 'Nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binds_environment_variable_style_keys()
    {
        var prefix = $"AIENG_TEST_{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            [prefix + "AiEng__Chat__Provider"] = "Remote",
            [prefix + "AiEng__Chat__Model"] = "llama3.2",
            [prefix + "AiEng__Chat__Endpoint"] = "http://localhost:11434",
            [prefix + "AiEng__ChatModels__smart__Model"] = "gpt-4o",
        };
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            using var services = TestServices.Build(configuration, builder => builder.AddProvider(new RemoteModelProvider()));

            var options = services.GetRequiredService<IOptions<AiEngOptions>>().Value;
            Assert.Equal("Remote", options.Chat.Provider);
            Assert.Equal("llama3.2", options.Chat.Model);
            Assert.Equal("http://localhost:11434", options.Chat.Endpoint);
            Assert.Equal("gpt-4o", services.GetRequiredKeyedService<IChatClient>("smart").GetService<ChatClientMetadata>()!.DefaultModelId);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public async Task Default_offline_chat_answers_end_to_end_through_dependency_injection()
    {
        using var services = TestServices.Build();
        var client = services.GetRequiredService<IChatClient>();

        var response = await client.GetResponseAsync(
        [
            new ChatMessage(ChatRole.System, "The Eiffel Tower is in Paris. Bananas are rich in potassium."),
            new ChatMessage(ChatRole.User, "Where is the Eiffel Tower?"),
        ]);

        Assert.Contains("\"The Eiffel Tower is in Paris.\" [1]", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bananas", response.Text, StringComparison.Ordinal);
        Assert.Contains("no language model is configured", response.Text, StringComparison.Ordinal);
        var metadata = client.GetService<ChatClientMetadata>()!;
        Assert.Equal(ExtractiveResponder.ProviderName, metadata.ProviderName);
        Assert.Equal(ExtractiveResponder.ModelId, metadata.DefaultModelId);
        Assert.NotNull(response.Usage);
    }

    [Fact]
    public void Keyed_named_models_fast_and_smart_resolve_to_different_clients_with_their_model_ids()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(
                ("AiEng:ChatModels:fast:Provider", "Remote"),
                ("AiEng:ChatModels:fast:Model", "gpt-4o-mini"),
                ("AiEng:ChatModels:smart:Provider", "remote"),
                ("AiEng:ChatModels:smart:Model", "gpt-4o")),
            builder => builder.AddProvider(new RemoteModelProvider()));

        var fast = services.GetRequiredKeyedService<IChatClient>("fast");
        var smart = services.GetRequiredKeyedService<IChatClient>("smart");

        Assert.NotSame(fast, smart);
        Assert.Same(fast, services.GetRequiredKeyedService<IChatClient>("fast"));
        Assert.Equal("gpt-4o-mini", fast.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal("gpt-4o", smart.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal(ExtractiveResponder.ModelId, services.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()!.DefaultModelId);
    }

    [Fact]
    public void A_named_model_without_a_provider_takes_the_default_models_provider_endpoint_and_key_without_changing_the_options()
    {
        var remote = new RemoteModelProvider();
        using var services = TestServices.Build(
            TestServices.Configuration(
                ("AiEng:Chat:Provider", "Remote"),
                ("AiEng:Chat:Model", "gpt-4o-mini"),
                ("AiEng:Chat:Endpoint", "http://localhost:8080/v1"),
                ("AiEng:Chat:ApiKey", "shared-key"),
                ("AiEng:ChatModels:smart:Model", "gpt-4o")),
            builder => builder.AddProvider(remote));

        var smart = services.GetRequiredKeyedService<IChatClient>("smart");

        Assert.Equal("gpt-4o", smart.GetService<ChatClientMetadata>()!.DefaultModelId);
        var created = Assert.Single(remote.Created);
        Assert.Equal(("Remote", "http://localhost:8080/v1", "shared-key"), (created.Provider, created.Endpoint, created.ApiKey));
        var bound = services.GetRequiredService<IOptions<AiEngOptions>>().Value.ChatModels["smart"];
        Assert.Null(bound.Provider);
        Assert.Null(bound.ApiKey);
    }

    [Fact]
    public void Named_embedding_models_resolve_as_keyed_generators()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(("AiEng:EmbeddingModels:small:Provider", "Remote"), ("AiEng:EmbeddingModels:small:Model", "text-embedding-3-small")),
            builder => builder.AddProvider(new RemoteModelProvider()));

        var generator = services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("small");

        Assert.Equal("text-embedding-3-small", generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
    }

    [Fact]
    public void Code_only_setup_configures_the_options_and_registers_the_named_models()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITokenCounter>(new WordTokenCounter());
        services.AddAiEng(options => options.ChatModels["fast"] = new ModelOptions { Provider = "Remote", Model = "gpt-4o-mini" })
            .AddProvider(new RemoteModelProvider());
        using var provider = services.BuildServiceProvider();

        var fast = provider.GetRequiredKeyedService<IChatClient>("fast");

        Assert.Equal("gpt-4o-mini", fast.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal("Offline", provider.GetRequiredService<IOptions<AiEngOptions>>().Value.Chat.Provider);
    }

    [Fact]
    public void The_callers_model_options_are_never_changed_or_handed_to_a_provider()
    {
        var remote = new RemoteModelProvider();
        var smart = new ModelOptions { Model = "gpt-4o" };
        var services = new ServiceCollection();
        services.AddSingleton<ITokenCounter>(new WordTokenCounter());
        services.AddAiEng(options =>
        {
            options.Chat = new ModelOptions { Provider = "Remote", Model = "gpt-4o-mini", ApiKey = "shared-key", Settings = { ["Region"] = "eu" } };
            options.ChatModels["smart"] = smart;
        }).AddProvider(remote);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredKeyedService<IChatClient>("smart");

        var created = Assert.Single(remote.Created);
        Assert.NotSame(smart, created);
        Assert.Equal(("Remote", "shared-key", "eu"), (created.Provider, created.ApiKey, created.Settings["Region"]));
        Assert.Null(smart.Provider);
        Assert.Null(smart.ApiKey);
        Assert.Empty(smart.Settings);
    }

    [Fact]
    public void An_application_that_only_chats_starts_without_an_embedding_provider_and_is_told_which_package_to_add_when_it_embeds()
    {
        using var services = TestServices.Build();
        StartupValidation.Validate(services);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());

        Assert.Contains("AiEng:Embeddings:Provider is 'Onnx'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng.Onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains(".AddOnnx()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_AiEng_twice_returns_the_same_builder_and_serves_the_named_models_of_both_calls()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITokenCounter>(new WordTokenCounter());
        var first = services.AddAiEng(TestServices.Configuration(("AiEng:ChatModels:app:Provider", "Remote"), ("AiEng:ChatModels:app:Model", "a")))
            .AddProvider(new RemoteModelProvider());

        var second = services.AddAiEng(TestServices.Configuration(("AiEng:ChatModels:library:Provider", "Remote"), ("AiEng:ChatModels:library:Model", "b")));

        Assert.Same(first, second);
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IChatClient) && !descriptor.IsKeyedService);
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IEmbeddingGenerator<string, Embedding<float>>) && !descriptor.IsKeyedService);
        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetRequiredKeyedService<IChatClient>("app"));
        Assert.NotNull(provider.GetRequiredKeyedService<IChatClient>("library"));
    }

    [Fact]
    public void A_chat_client_and_embedding_generator_the_application_registered_before_AddAiEng_are_kept()
    {
        var services = new ServiceCollection();
        using var chat = new TestChatClient();
        using var embeddings = new TestEmbeddingGenerator();
        services.AddSingleton<IChatClient>(chat);
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(embeddings);

        services.AddAiEng(TestServices.Configuration());
        using var provider = services.BuildServiceProvider();

        Assert.Same(chat, provider.GetRequiredService<IChatClient>());
        Assert.Same(embeddings, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public void A_chat_client_and_embedding_generator_the_application_registers_after_AddAiEng_win()
    {
        var services = new ServiceCollection();
        services.AddAiEng(TestServices.Configuration());
        using var chat = new TestChatClient();
        using var embeddings = new TestEmbeddingGenerator();

        services.AddSingleton<IChatClient>(chat);
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(embeddings);
        using var provider = services.BuildServiceProvider();

        Assert.Same(chat, provider.GetRequiredService<IChatClient>());
        Assert.Same(embeddings, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public void A_keyed_chat_client_the_application_registered_under_a_configured_name_is_kept()
    {
        var services = new ServiceCollection();
        using var chat = new TestChatClient();
        services.AddKeyedSingleton<IChatClient>("fast", chat);

        services.AddAiEng(TestServices.Configuration(("AiEng:ChatModels:fast:Model", "small")));
        using var provider = services.BuildServiceProvider();

        Assert.Same(chat, provider.GetRequiredKeyedService<IChatClient>("fast"));
    }

    [Fact]
    public void The_code_callback_runs_only_when_the_options_are_created()
    {
        var calls = 0;
        var services = new ServiceCollection();
        services.AddSingleton<ITokenCounter>(new WordTokenCounter());
        services.AddAiEng(options =>
        {
            calls++;
            options.ChatModels["fast"] = new ModelOptions { Provider = "Remote", Model = "gpt-4o-mini" };
        }).AddProvider(new RemoteModelProvider());

        Assert.Equal(0, calls);
        using var provider = services.BuildServiceProvider();
        Assert.Equal("gpt-4o-mini", provider.GetRequiredKeyedService<IChatClient>("fast").GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void A_named_model_that_is_not_configured_fails_when_resolved_naming_its_key_its_environment_variable_and_an_example()
    {
        using var services = TestServices.Build();

        var chat = Assert.Throws<OptionsValidationException>(() => services.GetRequiredKeyedService<IChatClient>("missing"));
        var embeddings = Assert.Throws<OptionsValidationException>(() => services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("absent"));

        Assert.Contains("AiEng:ChatModels:missing is not configured", chat.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng__ChatModels__missing__Model=gpt-4o-mini", chat.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:EmbeddingModels:absent is not configured", embeddings.Message, StringComparison.Ordinal);
        Assert.Null(services.GetKeyedService<IChatClient>(42));
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentNullException>(() => services.AddAiEng((IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddAiEng((Action<AiEngOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddAiEng(TestServices.Configuration()));
    }

    [Fact]
    public async Task Every_configured_model_records_its_usage_in_the_shared_ledger_priced_from_the_Usage_section()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(
                ("AiEng:Usage:Prices:extractive-responder:InputPerMillion", "1000000"),
                ("AiEng:Usage:Prices:extractive-responder:OutputPerMillion", "0")),
            more: s => s.AddSingleton<ITokenCounter>(new WordTokenCounter()));
        var chat = services.GetRequiredService<IChatClient>();

        var response = await chat.GetResponseAsync(
        [
            new ChatMessage(ChatRole.System, "The tower is 300 metres tall."),
            new ChatMessage(ChatRole.User, "How tall is the tower?"),
        ]);

        var ledger = services.GetRequiredService<IUsageLedger>();
        var record = Assert.Single(ledger.GetRecords());
        Assert.Equal("extractive-responder", record.Model);
        Assert.Equal(response.Usage!.InputTokenCount, record.InputTokens);
        Assert.False(record.IsEstimated);
        Assert.Equal(record.InputTokens * 1m, record.Cost);
    }

    [Fact]
    public void A_negative_price_in_the_Usage_section_fails_at_start_up_naming_its_key()
    {
        using var services = TestServices.Build(("AiEng:Usage:Prices:gpt-4o:InputPerMillion", "-1"));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains("AiEng:Usage:Prices:gpt-4o:InputPerMillion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_price_the_binder_cannot_read_is_reported_with_the_rest_of_its_entry_instead_of_being_dropped()
    {
        // The configuration binder skips a dictionary entry whose value it cannot convert, without an error.
        using var services = TestServices.Build(
            ("AiEng:Usage:Prices:gpt-4o:InputPerMillion", "cheap"),
            ("AiEng:Usage:Prices:gpt-4o:OutputPerMillion", "-1"),
            ("AiEng:Usage:Budgets:daily:Window", "Week"));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains(
            "AiEng:Usage:Prices:gpt-4o:InputPerMillion is 'cheap', which is not a number, for example 0.15 (environment variable AiEng__Usage__Prices__gpt-4o__InputPerMillion=0.15).",
            error.Failures);
        Assert.Contains(
            "AiEng:Usage:Budgets:daily:Window is 'Week', which is not one of None, Hour, Day, Month, for example Day (environment variable AiEng__Usage__Budgets__daily__Window=Day).",
            error.Failures);
        Assert.Contains(
            "AiEng:Usage:Prices:gpt-4o:OutputPerMillion is -1 but must be zero or positive, for example 0.6 (environment variable AiEng__Usage__Prices__gpt-4o__OutputPerMillion=0.6).",
            error.Failures);
        Assert.Contains(error.Failures, failure => failure.StartsWith("AiEng:Usage:Budgets:daily sets no limit", StringComparison.Ordinal));
    }

    [Fact]
    public void A_price_keyed_by_a_fine_tuned_model_id_fails_at_start_up_saying_the_key_was_split_and_how_to_write_it()
    {
        // Configuration splits "ft:gpt-4o-mini-2024-07-18:acme::9xYz" at each ':', which left an entry "ft" priced at 0
        // that every fine-tuned model (ft:...) then matched: its calls were recorded as free.
        using var services = TestServices.Build(
            ("AiEng:Usage:Prices:ft:gpt-4o-mini-2024-07-18:acme::9xYz:InputPerMillion", "0.3"),
            ("AiEng:Usage:Prices:ft:gpt-4o-mini-2024-07-18:acme::9xYz:OutputPerMillion", "1.2"));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        string failure = Assert.Single(error.Failures);
        Assert.StartsWith("AiEng:Usage:Prices:ft:gpt-4o-mini-2024-07-18 is not a setting of ModelPrice. If the entry's key held ':' (as a fine-tuned model id does), configuration, which reads ':' as a section separator, split 'ft:gpt-4o-mini-2024-07-18...' into an entry 'ft' with default settings", failure, StringComparison.Ordinal);
        Assert.Contains("AiEng:Usage:Prices:my-model:Model=ft:gpt-4o-mini-2024-07-18", failure, StringComparison.Ordinal);
        Assert.Contains("AiEng__Usage__Prices__my-model__Model=", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_price_with_a_model_setting_prices_the_fine_tuned_model_it_names_and_not_its_base_model()
    {
        const string FineTuned = "ft:gpt-4o-mini-2024-07-18:acme::9xYz";
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, options, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
            {
                ModelId = options!.ModelId,
                Usage = new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 0 },
            }),
        };
        using var services = TestServices.Build(
            TestServices.Configuration(
                ("AiEng:Usage:Prices:support-ft:Model", FineTuned),
                ("AiEng:Usage:Prices:support-ft:InputPerMillion", "0.3"),
                ("AiEng:Usage:Prices:gpt-4o-mini:InputPerMillion", "0.15")),
            builder => builder.UseChatClient(_ => inner));
        StartupValidation.Validate(services);
        var chat = services.GetRequiredService<IChatClient>();

        await chat.GetResponseAsync("q", new ChatOptions { ModelId = FineTuned });
        await chat.GetResponseAsync("q", new ChatOptions { ModelId = "gpt-4o-mini-2024-07-18" });

        var records = services.GetRequiredService<IUsageLedger>().GetRecords();
        Assert.Equal([0.3m, 0.15m], records.Select(static r => r.Cost));
        Assert.Same(ModelPrice.Find(services.GetRequiredService<IOptions<UsageTrackingOptions>>().Value.Prices, FineTuned + "-v2"), services.GetRequiredService<IOptions<UsageTrackingOptions>>().Value.Prices["support-ft"]);
    }

    [Fact]
    public void Two_prices_for_one_model_fail_at_start_up_naming_both_keys()
    {
        using var services = TestServices.Build(
            ("AiEng:Usage:Prices:gpt-4o:InputPerMillion", "2.5"),
            ("AiEng:Usage:Prices:four:Model", "GPT-4o"),
            ("AiEng:Usage:Prices:four:InputPerMillion", "2"));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        string failure = Assert.Single(error.Failures);
        Assert.Matches("^AiEng:Usage:Prices:(four|gpt-4o) prices the model '(GPT-4o|gpt-4o)', as AiEng:Usage:Prices:(four|gpt-4o) does; keep one of them.$", failure);
        Assert.Contains("Prices:four", failure, StringComparison.Ordinal);
        Assert.Contains("Prices:gpt-4o", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_AddAiEng_binds_its_Usage_and_Resilience_sections_too()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITokenCounter>(new WordTokenCounter());
        services.AddAiEng(_ => { });
        services.AddAiEng(TestServices.Configuration(("AiEng:Usage:Currency", "EUR"), ("AiEng:Resilience:MaxRetryAttempts", "5")));
        using var provider = services.BuildServiceProvider();

        Assert.Equal("EUR", provider.GetRequiredService<IOptions<UsageTrackingOptions>>().Value.Currency);
        Assert.Equal(5, provider.GetRequiredService<IOptions<ResilienceOptions>>().Value.MaxRetryAttempts);
    }

    [Fact]
    public async Task A_budget_from_the_Usage_section_stops_a_call_before_it_reaches_the_model()
    {
        var inner = TestChatClient.Replying("never", new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 });
        using var services = TestServices.Build(
            TestServices.Configuration(("AiEng:Usage:Budgets:tiny:MaxTokens", "5")),
            builder => builder.UseChatClient(_ => inner));
        var chat = services.GetRequiredService<IChatClient>();

        var error = await Assert.ThrowsAsync<BudgetExceededException>(() => chat.GetResponseAsync("a question that is longer than five tokens for sure"));

        Assert.Equal("tiny", error.BudgetName);
        Assert.Equal(0, inner.CallCount);
    }

    [Fact]
    public async Task Every_configured_model_retries_a_transient_failure_through_the_resilience_middleware()
    {
        var attempts = 0;
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => ++attempts == 1
                ? throw new HttpRequestException("service unavailable", null, System.Net.HttpStatusCode.ServiceUnavailable)
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))),
        };
        using var services = TestServices.Build(
            TestServices.Configuration(("AiEng:Resilience:BaseDelay", "00:00:00.001"), ("AiEng:Resilience:UseJitter", "false")),
            builder => builder.UseChatClient(_ => inner));

        var response = await services.GetRequiredService<IChatClient>().GetResponseAsync("hello");

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task The_Resilience_section_configures_every_model_and_errors_name_the_model_section()
    {
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => throw new HttpRequestException("unauthorized", null, System.Net.HttpStatusCode.Unauthorized),
        };
        using var services = TestServices.Build(
            TestServices.Configuration(("AiEng:Resilience:MaxRetryAttempts", "0")),
            builder => builder.UseChatClient(_ => inner, "fast"));

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => services.GetRequiredKeyedService<IChatClient>("fast").GetResponseAsync("hello"));

        Assert.Equal(401, error.StatusCode);
        Assert.Contains("AiEng:ChatModels:fast:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public void An_out_of_range_resilience_setting_fails_at_start_up_naming_its_key()
    {
        using var services = TestServices.Build(("AiEng:Resilience:MaxRetryAttempts", "-1"));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains("AiEng:Resilience:MaxRetryAttempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_out_of_range_resilience_setting_is_reported_together_with_its_environment_variable()
    {
        using var services = TestServices.Build(
            ("AiEng:Resilience:MaxRetryAttempts", "-1"), ("AiEng:Resilience:CircuitBreaker:FailureRatio", "2"));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, failure => failure.Contains("AiEng__Resilience__MaxRetryAttempts", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains("AiEng:Resilience:CircuitBreaker:FailureRatio", StringComparison.Ordinal)
            && failure.Contains("AiEng__Resilience__CircuitBreaker__FailureRatio", StringComparison.Ordinal));
    }
}
