using System.Collections.Concurrent;
using AiEng.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Ollama.Tests;

/// <summary>The Ollama provider's requests go through the host's IHttpClientFactory, and its options can be typed in code.</summary>
public sealed class OllamaHttpClientTests
{
    [Fact]
    public async Task A_handler_the_host_adds_to_the_named_HttpClient_sees_every_chat_and_embedding_request()
    {
        await using var server = await FakeOllamaServer.StartAsync();
        var seen = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddAiEng(options =>
        {
            options.Chat = new ModelOptions { Provider = "Ollama", Model = "llama-test", Endpoint = server.Address.AbsoluteUri, ApiKey = "proxy-key" };
            options.Embeddings = new ModelOptions { Provider = "Ollama", Model = "embed-test", Endpoint = server.Address.AbsoluteUri };
        }).AddOllama();
        services.AddHttpClient(OllamaModelProvider.HttpClientName).AddHttpMessageHandler(() => new RecordingHandler(seen));
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hello");
        await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["a", "b"]);

        Assert.Equal("hi from ollama", response.Text);
        Assert.Equal(["/api/chat", "/api/embed"], seen.ToArray());
        Assert.Equal("Bearer proxy-key", server.Requests.First().Authorization);
    }

    [Fact]
    public async Task The_typed_overload_makes_Ollama_serve_the_default_chat_model_with_the_options_set_in_code()
    {
        await using var server = await FakeOllamaServer.StartAsync();
        var services = new ServiceCollection();
        services.AddAiEng(new ConfigurationBuilder().Build()).AddOllama(options =>
        {
            options.Model = "llama-test";
            options.Endpoint = server.Address.AbsoluteUri;
        });
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hello");

        Assert.Equal("hi from ollama", response.Text);
        Assert.Equal("Ollama", provider.GetRequiredService<IOptions<AiEngOptions>>().Value.Chat.Provider);
    }

    [Fact]
    public void Rejects_a_null_callback()
    {
        Assert.Throws<ArgumentNullException>(() => new AiEngBuilder(new ServiceCollection()).AddOllama(null!));
    }

    private sealed class RecordingHandler(ConcurrentQueue<string> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Enqueue(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
