using System.ClientModel;
using System.Text.Json;
using AiEng.Providers;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.OpenAI.Tests;

public sealed class OpenAIModelProviderTests
{
    private const string Secret = "sk-test-secret-4711";

    private readonly OpenAIModelProvider _provider = new();

    [Fact]
    public void Is_named_OpenAI_and_serves_chat_and_embeddings()
    {
        Assert.Equal("OpenAI", _provider.Name);
        Assert.True(_provider.Supports(ModelKind.Chat));
        Assert.True(_provider.Supports(ModelKind.Embeddings));
    }

    [Fact]
    public async Task Creates_a_chat_client_that_answers_through_the_endpoint_with_usage()
    {
        await using var server = await OpenAITestServer.StartAsync();
        using var chat = _provider.CreateChatClient(Options(server, "gpt-test"), EmptyServices.Instance);

        var response = await chat.GetResponseAsync("hello world");

        Assert.Equal("Echo: hello world", response.Text);
        Assert.Equal(2, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        using var body = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        Assert.Equal("gpt-test", body.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Creates_a_chat_client_that_streams_with_usage()
    {
        await using var server = await OpenAITestServer.StartAsync();
        using var chat = _provider.CreateChatClient(Options(server, "gpt-test"), EmptyServices.Instance);

        var response = await chat.GetStreamingResponseAsync("stream me").ToChatResponseAsync();

        Assert.Equal("Echo: stream me", response.Text);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task Creates_an_embedding_generator_that_asks_for_the_configured_dimensions()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var options = Options(server, "text-embedding-test");
        options.Settings["Dimensions"] = "16";
        using var generator = _provider.CreateEmbeddingGenerator(options, EmptyServices.Instance);

        var embeddings = await generator.GenerateAsync(["alpha beta", "gamma"]);

        Assert.Equal(TestVectors.HashedBagOfWords("alpha beta", 16), embeddings[0].Vector.ToArray());
        Assert.Equal(TestVectors.HashedBagOfWords("gamma", 16), embeddings[1].Vector.ToArray());
        using var body = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        Assert.Equal("text-embedding-test", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(16, body.RootElement.GetProperty("dimensions").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    public async Task Requests_the_api_paths_under_the_endpoint_with_or_without_a_trailing_slash(string suffix)
    {
        await using var server = await OpenAITestServer.StartAsync();
        var options = Options(server, "m");
        options.Endpoint = server.BaseAddress.AbsoluteUri.TrimEnd('/') + suffix;
        using var chat = _provider.CreateChatClient(options, EmptyServices.Instance);
        using var generator = _provider.CreateEmbeddingGenerator(options, EmptyServices.Instance);

        await chat.GetResponseAsync("x");
        await generator.GenerateAsync(["x"]);

        Assert.Equal(["/v1/chat/completions", "/v1/embeddings"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Sends_the_api_key_as_a_bearer_token()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { ApiKey = Secret });
        var options = Options(server, "m");
        options.ApiKey = Secret;
        using var chat = _provider.CreateChatClient(options, EmptyServices.Instance);

        var response = await chat.GetResponseAsync("hi");

        Assert.Equal("Echo: hi", response.Text);
        Assert.Equal("Bearer ***", Assert.Single(server.Requests).Headers["Authorization"]);
    }

    [Fact]
    public async Task Sends_a_placeholder_key_to_local_servers_when_none_is_configured()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { ApiKey = OpenAIModelProvider.PlaceholderApiKey });
        using var chat = _provider.CreateChatClient(Options(server, "m"), EmptyServices.Instance);

        Assert.Equal("Echo: hi", (await chat.GetResponseAsync("hi")).Text);
    }

    [Fact]
    public async Task Sends_the_organization_and_project_settings_as_headers()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var options = Options(server, "m");
        options.Settings["Organization"] = "org-1";
        options.Settings["Project"] = "proj-2";
        using var chat = _provider.CreateChatClient(options, EmptyServices.Instance);

        await chat.GetResponseAsync("hi");

        var headers = Assert.Single(server.Requests).Headers;
        Assert.Equal("org-1", headers["OpenAI-Organization"]);
        Assert.Equal("proj-2", headers["OpenAI-Project"]);
    }

    [Fact]
    public async Task Does_not_retry_on_its_own_so_one_fault_is_one_failed_request()
    {
        await using var server = await OpenAITestServer.StartAsync();
        server.EnqueueFault(OpenAITestFault.Status(503), count: 2);
        using var chat = _provider.CreateChatClient(Options(server, "m"), EmptyServices.Instance);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.GetResponseAsync("hi"));

        Assert.Equal(503, error.Status);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(1, server.PendingFaultCount);
    }

    [Fact]
    public async Task Does_not_retry_a_429_either()
    {
        await using var server = await OpenAITestServer.StartAsync();
        server.EnqueueFault(OpenAITestFault.RateLimited(TimeSpan.Zero), OpenAITestServer.EmbeddingsPath, count: 2);
        using var generator = _provider.CreateEmbeddingGenerator(Options(server, "e"), EmptyServices.Instance);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => generator.GenerateAsync(["x"]));

        Assert.Equal(429, error.Status);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public void Accepts_a_local_endpoint_without_an_api_key()
    {
        var errors = Validate(new ModelOptions { Model = "llama3.2", Endpoint = "http://localhost:11434/v1" });

        Assert.Empty(errors);
    }

    [Fact]
    public void Reports_a_missing_model_with_its_key_and_an_example()
    {
        var error = Assert.Single(Validate(new ModelOptions { Endpoint = "http://localhost:8000/v1" }));

        Assert.StartsWith("AiEng:Chat:Model is required", error, StringComparison.Ordinal);
        Assert.Contains("gpt-4o-mini", error, StringComparison.Ordinal);
        Assert.Contains("AiEng__Chat__Model", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:11434/v1")]
    [InlineData("ftp://example.com/v1")]
    [InlineData("not a url")]
    public void Reports_a_malformed_endpoint_with_its_key_and_an_example(string endpoint)
    {
        var error = Assert.Single(Validate(new ModelOptions { Model = "m", Endpoint = endpoint }));

        Assert.StartsWith("AiEng:Chat:Endpoint must be an absolute http(s) URL such as 'http://localhost:11434/v1'", error, StringComparison.Ordinal);
        Assert.Contains(endpoint, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://api.openai.com/v1")]
    [InlineData("https://my-resource.openai.azure.com/openai/v1/")]
    public void Requires_an_api_key_for_hosted_endpoints(string? endpoint)
    {
        var error = Assert.Single(Validate(new ModelOptions { Model = "gpt-4o-mini", Endpoint = endpoint }));

        Assert.StartsWith("AiEng:Chat:ApiKey is required", error, StringComparison.Ordinal);
        Assert.Contains("AiEng__Chat__ApiKey", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_a_malformed_dimensions_setting_for_embeddings_and_rejects_it_for_chat()
    {
        var options = new ModelOptions { Model = "m", Endpoint = "http://localhost:1234/v1" };
        options.Settings["Dimensions"] = "-3";
        var embeddingErrors = new List<string>();
        var chatErrors = new List<string>();

        _provider.Validate(options, ModelKind.Embeddings, "AiEng:Embeddings", embeddingErrors);
        _provider.Validate(options, ModelKind.Chat, "AiEng:Chat", chatErrors);

        Assert.StartsWith("AiEng:Embeddings:Settings:Dimensions must be a positive whole number", Assert.Single(embeddingErrors), StringComparison.Ordinal);
        Assert.StartsWith("AiEng:Chat:Settings:Dimensions applies to embedding models only", Assert.Single(chatErrors), StringComparison.Ordinal);
    }

    [Fact]
    public void Never_puts_the_api_key_into_a_message()
    {
        var options = new ModelOptions { ApiKey = Secret, Endpoint = "not-a-url?key=" + Secret };
        options.Settings["Dimensions"] = Secret;
        var errors = new List<string>();

        _provider.Validate(options, ModelKind.Embeddings, "AiEng:Embeddings", errors);

        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.DoesNotContain(Secret, e, StringComparison.Ordinal));
    }

    [Fact]
    public void Refuses_to_create_clients_from_invalid_options_without_showing_the_key()
    {
        var options = new ModelOptions { ApiKey = Secret, Endpoint = "http://localhost:1/v1" };

        var error = Assert.Throws<ArgumentException>(() => _provider.CreateChatClient(options, EmptyServices.Instance));

        Assert.Contains("Model is required", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Does_not_change_the_callers_options()
    {
        var options = new ModelOptions { Model = " m ", Endpoint = "http://localhost:1/v1" };

        using var chat = _provider.CreateChatClient(options, EmptyServices.Instance);

        Assert.Equal(" m ", options.Model);
        Assert.Null(options.ApiKey);
        Assert.Empty(options.Settings);
    }

    [Theory]
    [InlineData("text-embedding-3-small")]
    [InlineData("text-embedding-3-large")]
    [InlineData("text-embedding-ada-002")]
    public void Publishes_openais_embedding_limits_for_openais_models(string model)
    {
        EmbeddingRequestLimits limits = _provider.GetEmbeddingRequestLimits(new ModelOptions { Model = model })!;

        Assert.Equal((2048, 300_000, 8191, 4), (limits.MaxInputsPerRequest, limits.MaxTokensPerRequest, limits.MaxTokensPerInput, limits.MaxParallelRequests));
        Assert.Equal("cl100k_base", limits.TokenCounter?.Name);
    }

    [Fact]
    public void Publishes_only_the_per_request_limits_for_another_model_behind_a_compatible_endpoint()
    {
        EmbeddingRequestLimits limits = _provider.GetEmbeddingRequestLimits(new ModelOptions { Model = "nomic-embed-text", Endpoint = "http://localhost:11434/v1" })!;

        Assert.Equal((2048, 300_000, 4), (limits.MaxInputsPerRequest, limits.MaxTokensPerRequest, limits.MaxParallelRequests));
        Assert.Null(limits.MaxTokensPerInput);
        Assert.Null(limits.TokenCounter);
    }

    private static ModelOptions Options(OpenAITestServer server, string model) => new()
    {
        Provider = "OpenAI",
        Model = model,
        Endpoint = server.BaseAddress.AbsoluteUri,
    };

    private List<string> Validate(ModelOptions options)
    {
        var errors = new List<string>();
        _provider.Validate(options, ModelKind.Chat, "AiEng:Chat", errors);
        return errors;
    }
}
