using System.Text;
using System.Text.Json;
using AiEng.Testing;
using Microsoft.Extensions.Logging.Testing;

namespace AiEng.Samples.Tests.WebChat;

/// <summary>
/// The secrets audit of the web sample: with a canary API key configured, the key reaches the provider (and only the
/// provider): no page, event stream or log line (any level, exceptions and scopes included) contains it, on success,
/// when the provider rejects the call, and when the provider is down.
/// </summary>
public sealed class WebChatSecretsTests(WebChatFixture fixture) : IClassFixture<WebChatFixture>
{
    private readonly string _canary = "sk-canary-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task The_canary_api_key_is_sent_to_the_provider_and_appears_in_no_page_stream_or_log()
    {
        // The provider requires the canary: any other key (or none) gets 401, so an answer proves the key was sent.
        await using OpenAITestServer provider = await OpenAITestServer.StartAsync(new OpenAITestServerOptions { ApiKey = _canary });
        provider.ChatHandler = (_, _) => ValueTask.FromResult(new OpenAITestChatReply("Routers have a warranty of three years [1]."));
        await using WebChatServer server = await WebChatServer.StartAsync(fixture.Paths, Settings(provider.BaseAddress.ToString()));
        var seen = new StringBuilder();

        // An answer from the model, then one the provider rejects (401 names the setting, never the key).
        Answer answered = await server.AskAsync("How long is the warranty of a router?");
        provider.EnqueueFault(OpenAITestFault.Status(401, message: "Incorrect API key provided"), OpenAITestServer.ChatCompletionsPath);
        Answer rejected = await server.AskAsync("How long are cables guaranteed?");
        seen.Append(answered.Body).Append(rejected.Body);
        foreach (string path in new[] { "", "chat.js", "chat.css" })
        {
            seen.Append(await server.Client.GetStringAsync(path));
        }

        JsonElement citation = Assert.Single(answered.OfType("citation")).Data;
        seen.Append(await server.Client.GetStringAsync(citation.GetProperty("link").GetString()!.TrimStart('/')));

        // The key was in use: the provider accepted it and the model's answer came back.
        Assert.Equal("Routers have a warranty of three years [1].", answered.Text);
        string message = rejected.ReadableError();
        Assert.Contains("HTTP 401", message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Chat:ApiKey", message, StringComparison.Ordinal);

        AssertNoCanary(seen.ToString(), server.Logs);
    }

    [Fact]
    public async Task The_canary_api_key_appears_in_no_stream_or_log_when_the_provider_is_down()
    {
        await using WebChatServer server = await WebChatServer.StartAsync(fixture.Paths, Settings($"http://127.0.0.1:{WebChatServer.ClosedPort()}/v1"));

        Answer answer = await server.AskAsync("How long is the warranty of a router?");

        Assert.Contains("could not reach the provider", answer.ReadableError(), StringComparison.Ordinal);
        AssertNoCanary(answer.Body, server.Logs);
    }

    private Dictionary<string, string?> Settings(string endpoint) => new(WebChatServer.QuickRetry)
    {
        ["AiEng:Chat:Provider"] = "OpenAI",
        ["AiEng:Chat:Model"] = "gpt-test",
        ["AiEng:Chat:Endpoint"] = endpoint,
        ["AiEng:Chat:ApiKey"] = _canary,
    };

    private void AssertNoCanary(string responses, FakeLogCollector logs)
    {
        Assert.DoesNotContain(_canary, responses, StringComparison.Ordinal);
        IReadOnlyList<FakeLogRecord> records = logs.GetSnapshot();
        Assert.NotEmpty(records);
        var text = new StringBuilder();
        foreach (FakeLogRecord record in records)
        {
            text.Append(record.Level).Append(' ').Append(record.Category).Append(": ").AppendLine(record.Message);
            text.AppendLine(record.Exception?.ToString());
            foreach (KeyValuePair<string, string?> pair in record.StructuredState ?? [])
            {
                text.Append(pair.Key).Append('=').AppendLine(pair.Value);
            }

            foreach (object? scope in record.Scopes)
            {
                text.AppendLine(scope?.ToString());
            }
        }

        // The search reads what the logs do hold: the request's path (a scope of ASP.NET Core's request logging).
        Assert.Contains("/api/ask", text.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_canary, text.ToString(), StringComparison.Ordinal);
    }
}
