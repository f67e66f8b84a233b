using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.OpenAI.Tests;

public sealed class OpenAIBatchAiEngBuilderExtensionsTests
{
    [Fact]
    public async Task Sends_batches_to_the_default_chat_model_with_its_key_and_model_and_records_usage_at_half_the_configured_price()
    {
        await using var server = await StartAsync("chat-key");
        using var provider = Build(new()
        {
            ["AiEng:Chat:Provider"] = "OpenAI",
            ["AiEng:Chat:Model"] = "gpt-4o-mini",
            ["AiEng:Chat:Endpoint"] = server.BaseAddress.ToString(),
            ["AiEng:Chat:ApiKey"] = "chat-key",
            ["AiEng:Usage:Prices:gpt-4o-mini:InputPerMillion"] = "1000000",
            ["AiEng:Usage:Prices:gpt-4o-mini:OutputPerMillion"] = "2000000",
            ["AiEng:Batch:OpenAI:PollInterval"] = "00:00:00",
        });

        var results = await provider.GetRequiredService<OpenAIBatchChatClient>().RunPromptsAsync([new("a", "one two"), new("b", "three")]);

        Assert.Equal(["re: one two", "re: three"], results.Select(r => r.Value!.Text));
        Assert.Contains("\"model\":\"gpt-4o-mini\"", Assert.Single(server.Files, f => f.Purpose == "batch").Text, StringComparison.Ordinal);
        Assert.All(server.Requests, r => Assert.Equal("Bearer ***", r.Headers["Authorization"]));
        var records = provider.GetRequiredService<IUsageLedger>().GetRecords();
        Assert.Equal(2, records.Count);

        // "one two" -> "re: one two": 2 input and 3 output words, (2 × 1 + 3 × 2) at half price.
        Assert.Equal(4m, records.Single(r => r.InputTokens == 2).Cost);
    }

    [Fact]
    public async Task Uses_the_named_chat_model_and_the_model_set_in_its_own_section()
    {
        await using var server = await StartAsync(apiKey: null);
        using var provider = Build(new()
        {
            ["AiEng:ChatModels:batch:Provider"] = "OpenAI",
            ["AiEng:ChatModels:batch:Model"] = "gpt-4o",
            ["AiEng:ChatModels:batch:Endpoint"] = server.BaseAddress.ToString(),
            ["AiEng:Batch:OpenAI:ChatModel"] = "batch",
            ["AiEng:Batch:OpenAI:Model"] = "gpt-4.1-nano",
            ["AiEng:Batch:OpenAI:PollInterval"] = "00:00:00",
        });

        var results = await provider.GetRequiredService<OpenAIBatchChatClient>().RunPromptsAsync([new("a", "hello")]);

        Assert.Equal(BatchItemStatus.Succeeded, Assert.Single(results).Status);
        Assert.Contains("\"model\":\"gpt-4.1-nano\"", Assert.Single(server.Files, f => f.Purpose == "batch").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_a_default_chat_model_that_is_not_an_OpenAI_one_naming_the_keys_to_set()
    {
        using var provider = Build([]);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OpenAIBatchChatClientOptions>>().Value);

        Assert.Contains("AiEng:Chat has provider 'Offline'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Batch:OpenAI:ChatModel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_a_chat_model_name_that_is_not_configured_listing_the_names_that_are()
    {
        using var provider = Build(new()
        {
            ["AiEng:ChatModels:cheap:Provider"] = "OpenAI",
            ["AiEng:ChatModels:cheap:Model"] = "gpt-4o-mini",
            ["AiEng:ChatModels:cheap:Endpoint"] = "http://localhost:1/v1",
            ["AiEng:Batch:OpenAI:ChatModel"] = "cheep",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OpenAIBatchChatClientOptions>>().Value);

        Assert.Contains("AiEng:Batch:OpenAI:ChatModel is 'cheep'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[cheap]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PollInterval", "-00:00:01")]
    [InlineData("Timeout", "00:00:00")]
    [InlineData("BatchDiscount", "1.5")]
    public void Reports_an_out_of_range_option_by_its_key_and_environment_variable(string key, string value)
    {
        using var provider = Build(new()
        {
            ["AiEng:Chat:Provider"] = "OpenAI",
            ["AiEng:Chat:Model"] = "gpt-4o-mini",
            ["AiEng:Chat:Endpoint"] = "http://localhost:1/v1",
            ["AiEng:Batch:OpenAI:" + key] = value,
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OpenAIBatchChatClientOptions>>().Value);

        Assert.Contains($"AiEng:Batch:OpenAI:{key} is ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"AiEng__Batch__OpenAI__{key}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_out_of_range_options_of_a_client_created_directly_naming_each_property()
    {
        var client = new global::OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential("k"));

        var error = Assert.Throws<ArgumentException>(() => new OpenAIBatchChatClient(client, new OpenAIBatchChatClientOptions { Model = "m", PollInterval = TimeSpan.FromSeconds(-1), BatchDiscount = 2m }));

        Assert.Contains("OpenAIBatchChatClientOptions.PollInterval", error.Message, StringComparison.Ordinal);
        Assert.Contains("OpenAIBatchChatClientOptions.BatchDiscount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_it_twice_registers_one_client()
    {
        var services = new ServiceCollection();
        services.AddAiEng(new ConfigurationBuilder().Build()).AddOpenAI().AddOpenAIBatch().AddOpenAIBatch(o => o.Model = "m");

        Assert.Single(services, d => d.ServiceType == typeof(OpenAIBatchChatClient));
    }

    private static async Task<OpenAITestServer> StartAsync(string? apiKey)
    {
        var server = await OpenAITestServer.StartAsync(new()
        {
            ApiKey = apiKey,
            ChatHandler = (request, _) => ValueTask.FromResult(new OpenAITestChatReply("re: " + request.Messages[^1].Content)),
        });
        server.BatchScript = _ => new OpenAITestBatchScript { ValidatingPolls = 1, InProgressPolls = 1 };
        return server;
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddAiEng(configuration).AddOpenAI().AddOpenAIBatch();
        return services.BuildServiceProvider();
    }
}
