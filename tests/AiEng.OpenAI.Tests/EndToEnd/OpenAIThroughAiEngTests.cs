using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.OpenAI.Tests.EndToEnd;

/// <summary>
/// The whole stack over real HTTP on loopback: AddAiEng with the OpenAI provider, AiEng's usage tracking and resilience
/// middleware, the official OpenAI client, and the OpenAI-compatible test server injecting faults.
/// </summary>
public sealed class OpenAIThroughAiEngTests : IAsyncLifetime
{
    private OpenAITestServer _server = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _server = await OpenAITestServer.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:Chat:Provider"] = "OpenAI",
            ["AiEng:Chat:Model"] = "gpt-4o-mini",
            ["AiEng:Chat:Endpoint"] = _server.BaseAddress.ToString(),
            ["AiEng:Chat:ApiKey"] = "sk-test-secret",
            ["AiEng:Embeddings:Provider"] = "OpenAI",
            ["AiEng:Embeddings:Model"] = "text-embedding-3-small",
            ["AiEng:Embeddings:Endpoint"] = _server.BaseAddress.ToString(),
            ["AiEng:Embeddings:ApiKey"] = "sk-test-secret",
            ["AiEng:Resilience:BaseDelay"] = "00:00:00.010",
            ["AiEng:Resilience:UseJitter"] = "false",
            ["AiEng:Usage:Prices:gpt-4o-mini:InputPerMillion"] = "0.15",
            ["AiEng:Usage:Prices:gpt-4o-mini:OutputPerMillion"] = "0.60",
        }).Build();
        var services = new ServiceCollection();
        services.AddAiEng(configuration).AddOpenAI();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_the_delay_and_the_call_is_recorded_once_with_its_cost()
    {
        _server.EnqueueFault(OpenAITestFault.RateLimited(TimeSpan.FromSeconds(1)), OpenAITestServer.ChatCompletionsPath);
        var chat = _services.GetRequiredService<IChatClient>();

        var started = DateTimeOffset.UtcNow;
        var response = await chat.GetResponseAsync("ping");
        var elapsed = DateTimeOffset.UtcNow - started;

        Assert.Equal("Echo: ping", response.Text);
        Assert.Equal(2, _server.Requests.Count(r => r.Path == OpenAITestServer.ChatCompletionsPath));
        Assert.True(elapsed >= TimeSpan.FromSeconds(0.9), $"the retry came after {elapsed}, before the 1 s Retry-After");
        var record = Assert.Single(_services.GetRequiredService<IUsageLedger>().GetRecords());
        Assert.Equal("gpt-4o-mini", record.Model);
        Assert.False(record.IsEstimated);
        Assert.True(record.InputTokens > 0);
        Assert.Equal(((record.InputTokens * 0.15m) + (record.OutputTokens * 0.60m)) / 1_000_000m, record.Cost);
    }

    [Fact]
    public async Task A_401_surfaces_at_once_with_the_setting_to_fix_and_without_the_key()
    {
        _server.EnqueueFault(OpenAITestFault.Status(401, message: "Incorrect API key provided"), OpenAITestServer.ChatCompletionsPath);
        var chat = _services.GetRequiredService<IChatClient>();

        var error = await Assert.ThrowsAsync<ModelRequestException>(() => chat.GetResponseAsync("ping"));

        Assert.Equal(401, error.StatusCode);
        Assert.Contains("AiEng:Chat:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-secret", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task A_dropped_connection_before_the_first_streamed_update_is_retried()
    {
        _server.EnqueueFault(OpenAITestFault.DroppedConnection(), OpenAITestServer.ChatCompletionsPath);
        var chat = _services.GetRequiredService<IChatClient>();

        var text = string.Concat(await chat.GetStreamingResponseAsync("hello there").Select(u => u.Text).ToListAsync());

        Assert.Equal("Echo: hello there", text);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task Embeddings_retry_a_503_and_come_back_in_order()
    {
        _server.EnqueueFault(OpenAITestFault.Status(503), OpenAITestServer.EmbeddingsPath);
        var embeddings = _services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var vectors = await embeddings.GenerateAsync(["alpha", "beta"]);

        Assert.Equal(2, vectors.Count);
        Assert.Equal(TestVectors.HashedBagOfWords("alpha", vectors[0].Vector.Length), vectors[0].Vector.ToArray());
        Assert.Equal(2, _server.RequestCount);
    }
}
