using System.Text.Json;
using AiEng.Providers;
using Microsoft.Extensions.AI;

namespace AiEng.Ollama.Tests;

public sealed class OllamaModelProviderTests
{
    private const string Secret = "ollama-secret-0815";

    private readonly OllamaModelProvider _provider = new();

    [Fact]
    public void Is_named_Ollama_and_serves_chat_and_embeddings()
    {
        Assert.Equal("Ollama", _provider.Name);
        Assert.True(_provider.Supports(ModelKind.Chat));
        Assert.True(_provider.Supports(ModelKind.Embeddings));
    }

    [Fact]
    public async Task Creates_a_chat_client_that_asks_the_configured_endpoint_for_the_configured_model()
    {
        await using var server = await FakeOllamaServer.StartAsync();
        using var chat = _provider.CreateChatClient(new ModelOptions { Model = "llama-test", Endpoint = server.Address.AbsoluteUri }, EmptyServices.Instance);

        var response = await chat.GetResponseAsync("hello");

        Assert.Equal("hi from ollama", response.Text);
        Assert.Equal(7, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/chat", request.Path);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("llama-test", body.RootElement.GetProperty("model").GetString());
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task Creates_an_embedding_generator_on_the_native_embed_api()
    {
        await using var server = await FakeOllamaServer.StartAsync();
        using var generator = _provider.CreateEmbeddingGenerator(new ModelOptions { Model = "embed-test", Endpoint = server.Address.AbsoluteUri.TrimEnd('/') }, EmptyServices.Instance);

        var embeddings = await generator.GenerateAsync(["a", "b"]);

        Assert.Equal([0.5f, 0.25f], embeddings[0].Vector.ToArray());
        Assert.Equal([1f, 0f], embeddings[1].Vector.ToArray());
        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/embed", request.Path);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("embed-test", body.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Sends_a_configured_api_key_as_a_bearer_token()
    {
        await using var server = await FakeOllamaServer.StartAsync();
        using var chat = _provider.CreateChatClient(new ModelOptions { Model = "llama-test", Endpoint = server.Address.AbsoluteUri, ApiKey = Secret }, EmptyServices.Instance);

        await chat.GetResponseAsync("hello");

        Assert.Equal("Bearer " + Secret, Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public void Targets_localhost_11434_by_default()
    {
        using var chat = _provider.CreateChatClient(new ModelOptions { Model = "llama3.2" }, EmptyServices.Instance);

        var metadata = chat.GetService<ChatClientMetadata>();

        Assert.Equal(new Uri("http://localhost:11434/"), metadata?.ProviderUri);
        Assert.Equal("llama3.2", metadata?.DefaultModelId);
    }

    [Fact]
    public void Accepts_a_model_with_the_default_endpoint()
    {
        Assert.Empty(Validate(new ModelOptions { Model = "llama3.2" }, ModelKind.Chat));
    }

    [Fact]
    public void Reports_a_missing_model_with_its_key_and_an_example()
    {
        var error = Assert.Single(Validate(new ModelOptions(), ModelKind.Embeddings));

        Assert.StartsWith("AiEng:Chat:Model is required by provider Ollama", error, StringComparison.Ordinal);
        Assert.Contains("nomic-embed-text", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_a_malformed_endpoint_with_its_key_and_an_example()
    {
        var error = Assert.Single(Validate(new ModelOptions { Model = "m", Endpoint = "localhost:11434" }, ModelKind.Chat));

        Assert.Equal("AiEng:Chat:Endpoint must be an absolute http(s) URL such as 'http://localhost:11434'; 'localhost:11434' is not.", error);
    }

    [Fact]
    public void Points_users_of_the_v1_path_to_the_native_api_or_the_OpenAI_provider()
    {
        var error = Assert.Single(Validate(new ModelOptions { Model = "m", Endpoint = "http://localhost:11434/v1/" }, ModelKind.Chat));

        Assert.StartsWith("AiEng:Chat:Endpoint ends in /v1", error, StringComparison.Ordinal);
        Assert.Contains("Provider to OpenAI", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_puts_the_api_key_into_a_message()
    {
        var errors = Validate(new ModelOptions { ApiKey = Secret, Endpoint = Secret }, ModelKind.Chat);

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.DoesNotContain(Secret, e, StringComparison.Ordinal));
    }

    [Fact]
    public void Refuses_to_create_clients_from_invalid_options()
    {
        Assert.Throws<ArgumentException>(() => _provider.CreateEmbeddingGenerator(new ModelOptions(), EmptyServices.Instance));
    }

    private List<string> Validate(ModelOptions options, ModelKind kind)
    {
        var errors = new List<string>();
        _provider.Validate(options, kind, "AiEng:Chat", errors);
        return errors;
    }
}
