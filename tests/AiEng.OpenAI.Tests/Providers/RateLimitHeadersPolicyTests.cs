using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.OpenAI.Tests.Providers;

/// <summary>The OpenAI client's responses reach the model's shared rate limiter through the provider's pipeline policy.</summary>
public sealed class RateLimitHeadersPolicyTests
{
    [Fact]
    public async Task A_response_with_no_requests_remaining_pauses_every_caller_of_the_model_until_the_reset()
    {
        // Six a minute: a bucket of one request, so the first answer says none remain, for ten seconds.
        await using var server = await OpenAITestServer.StartAsync(new OpenAITestServerOptions { RequestsPerMinute = 6 });
        await using var services = Build(server, requestsPerMinute: 6000);
        var chat = services.GetRequiredService<IChatClient>();

        await chat.GetResponseAsync("ping");

        var limiter = services.GetRequiredService<ModelRateLimiters>().Find(OpenAIModelProvider.ProviderName, "gpt-4o-mini");
        Assert.NotNull(limiter);
        Assert.NotNull(limiter.PausedUntil);
        Assert.InRange(limiter.PausedUntil.Value - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.Equal(0, server.RateLimitedCount);
    }

    [Fact]
    public async Task A_model_without_limits_gets_no_limiter()
    {
        await using var server = await OpenAITestServer.StartAsync(new OpenAITestServerOptions { RequestsPerMinute = 6 });
        await using var services = Build(server, requestsPerMinute: null);

        await services.GetRequiredService<IChatClient>().GetResponseAsync("ping");

        Assert.Null(services.GetRequiredService<ModelRateLimiters>().Find(OpenAIModelProvider.ProviderName, "gpt-4o-mini"));
    }

    [Fact]
    public async Task The_test_servers_limit_answers_429_with_Retry_After_and_the_rate_limit_headers()
    {
        await using var server = await OpenAITestServer.StartAsync(new OpenAITestServerOptions { RequestsPerMinute = 6 });
        using var http = new HttpClient();
        var uri = new Uri(server.BaseAddress, "chat/completions");
        const string Body = """{"model":"m","messages":[{"role":"user","content":"hi"}]}""";

        using var first = await http.PostAsync(uri, new StringContent(Body, System.Text.Encoding.UTF8, "application/json"));
        using var second = await http.PostAsync(uri, new StringContent(Body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal("0", first.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.Equal("6", first.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.Equal(429, (int)second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter?.Delta);
        Assert.InRange(second.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.Equal(1, server.RateLimitedCount);
    }

    private static ServiceProvider Build(OpenAITestServer server, int? requestsPerMinute)
    {
        var values = new Dictionary<string, string?>
        {
            ["AiEng:Chat:Provider"] = "OpenAI",
            ["AiEng:Chat:Model"] = "gpt-4o-mini",
            ["AiEng:Chat:Endpoint"] = server.BaseAddress.ToString(),
            ["AiEng:Resilience:MaxRetryAttempts"] = "0",
        };
        if (requestsPerMinute is int limit)
        {
            values["AiEng:Chat:Settings:RequestsPerMinute"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var services = new ServiceCollection();
        services.AddAiEng(new ConfigurationBuilder().AddInMemoryCollection(values).Build()).AddOpenAI();
        return services.BuildServiceProvider();
    }
}
