using System.Collections.Concurrent;
using System.Diagnostics;
using AiEng.Evaluation;
using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiEng.OpenAI.Tests.Security;

/// <summary>
/// The secrets audit: a canary API key is configured for the OpenAI chat and embedding models, calls succeed and fail in
/// every way the test server can fail them, an evaluation run writes its reports and a disk cache its entries, and then
/// everything AiEng produced is searched for the canary: log messages at Trace with their state and exceptions, spans
/// with their attributes, events and status, exception messages and <c>ToString()</c>, ledger records, report files and
/// cache files. The canary must appear nowhere.
/// </summary>
public sealed class SecretsAuditTests : IAsyncLifetime
{
    private static readonly string Canary = "sk-canary-" + Guid.NewGuid().ToString("N");

    private readonly ConcurrentQueue<string> _seen = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("aieng-secrets-").FullName;
    private OpenAITestServer _server = null!;
    private ServiceProvider _services = null!;
    private ActivityListener _listener = null!;

    public async Task InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = static _ => true,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _seen.Enqueue(Describe(activity)),
        };
        ActivitySource.AddActivityListener(_listener);

        _server = await OpenAITestServer.StartAsync(new() { ApiKey = Canary });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:Chat:Provider"] = "OpenAI",
            ["AiEng:Chat:Model"] = "gpt-4o-mini",
            ["AiEng:Chat:Endpoint"] = _server.BaseAddress.ToString(),
            ["AiEng:Chat:ApiKey"] = Canary,
            ["AiEng:Embeddings:Provider"] = "OpenAI",
            ["AiEng:Embeddings:Model"] = "text-embedding-3-small",
            ["AiEng:Embeddings:Endpoint"] = _server.BaseAddress.ToString(),
            ["AiEng:Embeddings:ApiKey"] = Canary,
            ["AiEng:Resilience:BaseDelay"] = "00:00:00.001",
            ["AiEng:Resilience:UseJitter"] = "false",
            ["AiEng:Resilience:MaxRetryAttempts"] = "1",
            ["AiEng:Usage:Prices:gpt-4o-mini:InputPerMillion"] = "0.15",
            ["AiEng:Usage:Prices:gpt-4o-mini:OutputPerMillion"] = "0.60",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(_seen)));
        services.AddAiEng(configuration).AddOpenAI()
            .ConfigureChatPipeline(pipeline => pipeline.UseDiskResponseCache(Path.Combine(_folder, "cache")).UseOpenTelemetry().UseLogging());
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _services.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_api_key_appears_in_no_log_span_exception_record_report_or_cache_file()
    {
        var chat = _services.GetRequiredService<IChatClient>();
        var embeddings = _services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        // Successes, streamed and not, and embeddings.
        // The server accepts only the canary, so a success proves the key was sent.
        Assert.Equal("Echo: hello", (await chat.GetResponseAsync("hello")).Text);
        await chat.GetStreamingResponseAsync("hello again").ToListAsync();
        await embeddings.GenerateAsync(["a text"]);

        // Every failure the server can produce, for chat and embeddings.
        OpenAITestFault[] faults =
        [
            OpenAITestFault.Status(401, message: "Incorrect API key provided: " + Canary[..8] + "***"),
            OpenAITestFault.Status(403),
            OpenAITestFault.Status(404),
            OpenAITestFault.Status(400, message: "bad request"),
            OpenAITestFault.Status(500),
            OpenAITestFault.RateLimited(TimeSpan.FromMilliseconds(1)),
            OpenAITestFault.DroppedConnection(),
            OpenAITestFault.BrokenStream(afterChunks: 1),
        ];
        var errors = new List<Exception?>();
        foreach (OpenAITestFault fault in faults)
        {
            for (int i = 0; i < 2; i++)
            {
                _server.EnqueueFault(fault, OpenAITestServer.ChatCompletionsPath);
            }

            errors.Add(await CatchAsync(() => chat.GetResponseAsync("fails " + fault.GetHashCode())));
            _server.EnqueueFault(fault, OpenAITestServer.ChatCompletionsPath);
            _server.EnqueueFault(fault, OpenAITestServer.ChatCompletionsPath);
            errors.Add(await CatchAsync(async () => await chat.GetStreamingResponseAsync("streams " + fault.GetHashCode()).ToListAsync()));
            _server.EnqueueFault(fault, OpenAITestServer.EmbeddingsPath);
            _server.EnqueueFault(fault, OpenAITestServer.EmbeddingsPath);
            errors.Add(await CatchAsync(() => embeddings.GenerateAsync(["x " + fault.GetHashCode()])));
        }

        // An evaluation run with a failing case, its reports written to disk.
        _server.EnqueueFault(OpenAITestFault.Status(401), OpenAITestServer.ChatCompletionsPath);
        var dataset = new EvaluationDataset("audit", [new EvaluationCase("a", "first") { Reference = "Echo: first" }, new EvaluationCase("b", "second") { Reference = "x" }]);
        var runner = new EvaluationRunner([new ExactMatchEvaluator()], new EvaluationRunnerOptions { OutputDirectory = Path.Combine(_folder, "run"), MaxConcurrency = 1, UsageLedger = (UsageLedger)_services.GetRequiredService<IUsageLedger>() });
        EvaluationRun run = await runner.RunAsync(dataset, EvaluationTargets.FromChatClient(chat));
        await EvaluationReports.WriteAllAsync(run, Path.Combine(_folder, "reports"));
        await UsageReport.FromLedger(_services.GetRequiredService<IUsageLedger>()).WriteAsync(Path.Combine(_folder, "reports", "usage.html"));

        Assert.Contains(run.Cases, static c => c.Error is not null);
        Assert.True(errors.Count(static e => e is not null) >= 20, "the faults did not fail the calls: the audit would search too little");
        Assert.True(_seen.Count > 50, $"only {_seen.Count} logs and spans were captured");
        var outputs = new List<(string Where, string Text)>();
        outputs.AddRange(_seen.Select(static s => ("log or span", s)));
        outputs.AddRange(errors.Where(static e => e is not null).Select(static e => ("exception", e!.ToString() + e.Message)));
        outputs.AddRange(_services.GetRequiredService<IUsageLedger>().GetRecords().Select(static r => ("ledger record", r.ToString())));
        outputs.AddRange(Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories).Select(static f => (f, File.ReadAllText(f))));
        Assert.Contains(outputs, static o => o.Where.Contains("cache", StringComparison.Ordinal));

        string[] leaks = [.. outputs.Where(static o => o.Text.Contains(Canary, StringComparison.Ordinal)).Select(static o => $"{o.Where}: {o.Text[..Math.Min(300, o.Text.Length)]}")];
        Assert.True(leaks.Length == 0, $"the API key leaked into {leaks.Length} outputs:\n{string.Join("\n", leaks.Take(5))}");

        // The search itself can fail: it finds what a Trace log does hold, the text of a request.
        Assert.Contains(outputs, static o => o.Where == "log or span" && o.Text.Contains("hello again", StringComparison.Ordinal));
    }

    private static async Task<Exception?> CatchAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static string Describe(Activity activity) =>
        $"{activity.Source.Name} {activity.DisplayName} {activity.StatusDescription} "
        + string.Join(' ', activity.TagObjects.Select(static t => $"{t.Key}={t.Value}"))
        + string.Join(' ', activity.Events.Select(static e => e.Name + " " + string.Join(' ', e.Tags.Select(static t => $"{t.Key}={t.Value}"))));

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> seen) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(seen, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> seen, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                seen.Enqueue($"{category} scope {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                string values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(static p => $"{p.Key}={p.Value}")) : string.Empty;
                seen.Enqueue($"{category} {logLevel} {formatter(state, exception)} {values} {exception}");
            }
        }
    }
}
