using AiEng.FineTuning;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.OpenAI.Tests;

public sealed class OpenAIFineTuningAiEngBuilderExtensionsTests
{
    [Fact]
    public async Task Serves_an_IFineTuningClient_on_the_configured_endpoint_with_its_key()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { ApiKey = "ft-key" });
        using var provider = Build(new()
        {
            ["AiEng:FineTuning:OpenAI:Endpoint"] = server.BaseAddress.ToString(),
            ["AiEng:FineTuning:OpenAI:ApiKey"] = "ft-key",
        });

        var client = provider.GetRequiredService<IFineTuningClient>();
        var file = await client.UploadFileAsync(FineTuningServer.Content(), "train.jsonl");

        Assert.Equal(file.Id, Assert.Single(server.Files).Id);
        Assert.Equal("Bearer ***", server.Requests[0].Headers["Authorization"]);
    }

    [Fact]
    public async Task Uses_the_default_chat_models_endpoint_and_key_when_its_own_section_sets_neither()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { ApiKey = "chat-key" });
        using var provider = Build(new()
        {
            ["AiEng:Chat:Provider"] = "OpenAI",
            ["AiEng:Chat:Model"] = "gpt-4o-mini",
            ["AiEng:Chat:Endpoint"] = server.BaseAddress.ToString(),
            ["AiEng:Chat:ApiKey"] = "chat-key",
        });

        var file = await provider.GetRequiredService<IFineTuningClient>().UploadFileAsync(FineTuningServer.Content(), "train.jsonl");

        Assert.Equal(file.Id, Assert.Single(server.Files).Id);
    }

    [Fact]
    public void Reports_a_missing_key_for_OpenAIs_endpoint_naming_the_setting_and_its_environment_variable()
    {
        using var provider = Build(new() { ["AiEng:FineTuning:OpenAI:Endpoint"] = "https://api.openai.com/v1" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OpenAIFineTuningOptions>>().Value);

        Assert.Contains("AiEng:FineTuning:OpenAI:ApiKey is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng__FineTuning__OpenAI__ApiKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_an_endpoint_that_is_not_a_url()
    {
        using var provider = Build(new() { ["AiEng:FineTuning:OpenAI:Endpoint"] = "not a url" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OpenAIFineTuningOptions>>().Value);

        Assert.Contains("AiEng:FineTuning:OpenAI:Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_a_client_the_application_registered_and_can_be_added_twice()
    {
        var services = new ServiceCollection();
        var own = new StubFineTuningClient();
        services.AddSingleton<IFineTuningClient>(own);
        services.AddAiEng(new ConfigurationBuilder().Build()).AddOpenAIFineTuning(o => o.Endpoint = "http://localhost:1/v1").AddOpenAIFineTuning();
        using var provider = services.BuildServiceProvider();

        Assert.Same(own, provider.GetRequiredService<IFineTuningClient>());
        Assert.Single(services, d => d.ServiceType == typeof(IFineTuningClient));
    }

    [Fact]
    public async Task A_fine_tuned_model_id_is_served_as_a_named_chat_model_from_configuration()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 0) });
        var tuner = FineTuningServer.Client(server);
        var file = await tuner.UploadFileAsync(FineTuningServer.Content(), "train.jsonl");
        var created = await tuner.CreateJobAsync("gpt-4o-mini", file.Id, new FineTuningJobOptions { Suffix = "tickets" });
        await tuner.GetJobAsync(created.Id);
        var done = await tuner.GetJobAsync(created.Id);
        Assert.Equal(FineTuningJobStatus.Succeeded, done.Status);

        using var provider = Build(new()
        {
            ["AiEng:ChatModels:tickets:Provider"] = "OpenAI",
            ["AiEng:ChatModels:tickets:Model"] = done.FineTunedModel,
            ["AiEng:ChatModels:tickets:Endpoint"] = server.BaseAddress.ToString(),
        });
        var chat = provider.GetRequiredKeyedService<IChatClient>("tickets");
        var response = await chat.GetResponseAsync("The printer is on fire");

        Assert.Equal("Echo: The printer is on fire", response.Text);
        var sent = server.Requests.Last(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));
        Assert.Contains($"\"model\":\"{done.FineTunedModel}\"", sent.Body, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddAiEng(configuration).AddOpenAI().AddOpenAIFineTuning();
        return services.BuildServiceProvider();
    }

    private sealed class StubFineTuningClient : IFineTuningClient
    {
        public Task<FineTuningFile> UploadFileAsync(Stream content, string fileName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<FineTuningJob> CreateJobAsync(string baseModel, string trainingFileId, FineTuningJobOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<FineTuningJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<FineTuningJob> ListJobsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<FineTuningJobEvent> ListEventsAsync(string jobId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<FineTuningCheckpoint> ListCheckpointsAsync(string jobId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<FineTuningJob> CancelJobAsync(string jobId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
