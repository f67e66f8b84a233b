using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using AiEng.Samples.WebChat;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AiEng.Samples.Tests.WebChat;

/// <summary>
/// The web sample running in the test process on a free loopback port (<c>--urls http://127.0.0.1:0</c>), over a test's
/// documents and store, with configuration added on top and every log line collected.
/// </summary>
internal sealed class WebChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebChatServer(WebApplication app, FakeLogCollector logs, Uri address)
    {
        _app = app;
        Logs = logs;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Gets the server's address, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Gets a client of the server.</summary>
    public HttpClient Client { get; }

    /// <summary>Gets every log line the application wrote (all levels).</summary>
    public FakeLogCollector Logs { get; }

    /// <summary>
    /// Builds the application, ingests the documents (unchanged ones are skipped) and starts listening. The questions a
    /// minute are not limited unless <paramref name="settings"/> set <c>WebChat:QuestionsPerMinute</c>: tests ask many
    /// questions from one address.
    /// </summary>
    public static async Task<WebChatServer> StartAsync(WebChatPaths paths, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var logs = new FakeLogCollector();
        var configured = new Dictionary<string, string?> { [AskRateLimit.QuestionsPerMinuteKey] = "0" };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            configured[key] = value;
        }

        WebApplication app = WebChatApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production"], paths, builder =>
        {
            builder.Configuration.AddInMemoryCollection(configured);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(new FakeLoggerProvider(logs));
            configure?.Invoke(builder);
        });
        try
        {
            await WebChatApp.IngestAsync(app.Services, paths);
            await app.StartAsync();
            return new WebChatServer(app, logs, new Uri(app.Urls.First() + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Gets settings for one quick retry (5 ms, no jitter) in AiEng's resilience, so that a failing call fails fast.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> QuickRetry { get; } = new Dictionary<string, string?>
    {
        ["AiEng:Resilience:MaxRetryAttempts"] = "1",
        ["AiEng:Resilience:BaseDelay"] = "00:00:00.005",
        ["AiEng:Resilience:UseJitter"] = "false",
    };

    /// <summary>Returns a loopback port nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Asks a question and reads the whole event stream.</summary>
    public async Task<Answer> AskAsync(string question, IReadOnlyList<AskTurn>? history = null)
    {
        using HttpResponseMessage response = await Client.PostAsJsonAsync("api/ask", new { question, history });
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync();
        return new Answer(body, ParseEvents(body));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Parses a <c>text/event-stream</c> body into (event type, JSON data) pairs.</summary>
    public static IReadOnlyList<SseEvent> ParseEvents(string body)
    {
        var events = new List<SseEvent>();
        foreach (string block in body.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string type = "message";
            var data = new List<string>();
            foreach (string line in block.Split('\n'))
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    type = line[6..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line[5..].TrimStart(' '));
                }
            }

            events.Add(new SseEvent(type, JsonDocument.Parse(string.Join('\n', data)).RootElement.Clone()));
        }

        return events;
    }
}

/// <summary>One server-sent event: its type and its JSON data.</summary>
internal sealed record SseEvent(string Type, JsonElement Data);

/// <summary>The event stream of one answer, raw and parsed.</summary>
internal sealed record Answer(string Body, IReadOnlyList<SseEvent> Events)
{
    public IEnumerable<SseEvent> OfType(string type) => Events.Where(e => e.Type == type);

    public string Text => string.Concat(OfType("token").Select(e => e.Data.GetProperty("text").GetString()));

    public int IndexOfFirst(string type) => Events.ToList().FindIndex(e => e.Type == type);

    public int IndexOfLast(string type) => Events.ToList().FindLastIndex(e => e.Type == type);

    /// <summary>
    /// Checks that the answer failed readably (one <c>error</c> event, no citation, no stack trace, then <c>usage</c> and
    /// <c>done</c>) and returns the error's message.
    /// </summary>
    public string ReadableError()
    {
        string message = Assert.Single(OfType("error")).Data.GetProperty("message").GetString()!;
        Assert.DoesNotContain("   at ", Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\n   at", Body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", Body, StringComparison.Ordinal);
        Assert.Empty(OfType("citation"));
        Assert.Equal(["usage", "done"], Events.Skip(IndexOfFirst("error") + 1).Select(e => e.Type));
        return message;
    }
}
