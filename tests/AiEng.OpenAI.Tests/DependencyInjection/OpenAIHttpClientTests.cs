using System.Collections.Concurrent;
using AiEng.Providers;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.OpenAI.Tests;

/// <summary>The OpenAI provider's requests go through the host's IHttpClientFactory, and its options can be typed in code.</summary>
public sealed class OpenAIHttpClientTests
{
    [Fact]
    public async Task A_handler_the_host_adds_to_the_named_HttpClient_sees_every_chat_and_embedding_request()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var seen = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddAiEng(options =>
        {
            options.Chat = new ModelOptions { Provider = "OpenAI", Model = "gpt-4o-mini", Endpoint = server.BaseAddress.ToString() };
            options.Embeddings = new ModelOptions { Provider = "OpenAI", Model = "text-embedding-3-small", Endpoint = server.BaseAddress.ToString() };
        }).AddOpenAI();
        services.AddHttpClient(OpenAIModelProvider.HttpClientName).AddHttpMessageHandler(() => new RecordingHandler(seen));
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("ping");
        await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["a"]);

        Assert.Equal("Echo: ping", response.Text);
        Assert.Collection(
            seen,
            path => Assert.EndsWith("/chat/completions", path, StringComparison.Ordinal),
            path => Assert.EndsWith("/embeddings", path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_typed_overload_makes_OpenAI_serve_the_default_chat_model_with_the_options_set_in_code()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var services = new ServiceCollection();
        services.AddAiEng(new ConfigurationBuilder().Build()).AddOpenAI(options =>
        {
            options.Model = "gpt-4o-mini";
            options.Endpoint = server.BaseAddress.ToString();
        });
        await using var provider = services.BuildServiceProvider();

        var chat = provider.GetRequiredService<IChatClient>();
        var response = await chat.GetResponseAsync("ping");

        Assert.Equal("Echo: ping", response.Text);
        Assert.Equal("gpt-4o-mini", chat.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal("OpenAI", provider.GetRequiredService<IOptions<AiEngOptions>>().Value.Chat.Provider);
    }

    [Fact]
    public void The_typed_overload_is_validated_at_start_up_naming_the_key()
    {
        var services = new ServiceCollection();
        services.AddAiEng(new ConfigurationBuilder().Build()).AddOpenAI(options => options.Endpoint = "not a url");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AiEngOptions>>().Value);

        Assert.Contains("AiEng:Chat:Model is required by provider OpenAI", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng__Chat__Model", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Chat:Endpoint is not an absolute http or https URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_null_callback()
    {
        Assert.Throws<ArgumentNullException>(() => new AiEngBuilder(new ServiceCollection()).AddOpenAI(null!));
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
