using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Benchmarks.Batch;

/// <summary>
/// <c>batch-runner</c>: how close the batch runner, paced by a model's client-side rate limit, comes to that limit, and how
/// many 429s it draws. The AiEng.Testing server answers chat completions after a fixed latency and enforces a server-side
/// limit of N requests per minute (a second's worth of burst, as OpenAI); the runner sends a workload through
/// <c>AddAiEng(...).AddOpenAI()</c> (the real OpenAI client over loopback, AiEng's usage tracking and resilience) with
/// <c>Settings:RequestsPerMinute</c> = N and a concurrency above what the limit needs. A baseline runs the same workload
/// without the client-side limit (and with AiEng's circuit breaker off, so its retries honouring <c>Retry-After</c> are
/// what is measured). Options: <c>--rpm</c> (600), <c>--latency-ms</c> (50), <c>--seconds</c> (30, the run's
/// length at the limit), <c>--concurrency</c> (16), <c>--baseline</c> (<c>on</c>, or <c>off</c>).
/// </summary>
/// <remarks>
/// Throughput is measured on the server, from the arrival times of the requests it answered: (answered − 1) over the time
/// from the first to the last, so neither start-up nor the last call's latency enters the ratio.
/// </remarks>
internal static class BatchRunnerBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int rpm = arguments.GetInt("rpm", 600);
        int latencyMs = arguments.GetInt("latency-ms", 50);
        int seconds = arguments.GetInt("seconds", 30);
        int concurrency = arguments.GetInt("concurrency", 16);
        bool baseline = (arguments.GetString("baseline") ?? "on") != "off";
        if (rpm < 1 || latencyMs < 0 || seconds < 1 || concurrency < 1)
        {
            throw new ArgumentException("--rpm, --seconds and --concurrency are at least 1, --latency-ms at least 0.");
        }

        int items = Math.Max(2, rpm * seconds / 60);
        var limited = await RunOnceAsync(rpm, latencyMs, items, concurrency, clientLimit: true).ConfigureAwait(false);
        Measurement? unlimited = baseline ? await RunOnceAsync(rpm, latencyMs, items, concurrency, clientLimit: false).ConfigureAwait(false) : null;

        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["bench"] = "batch-runner",
            ["limit_rpm"] = rpm,
            ["latency_ms"] = latencyMs,
            ["items"] = items,
            ["concurrency"] = concurrency,
            ["throughput_rpm"] = Math.Round(limited.ThroughputRpm, 1),
            ["ratio"] = Math.Round(limited.ThroughputRpm / rpm, 4),
            ["server_429s"] = limited.Server429s,
            ["failed_items"] = limited.FailedItems,
            ["elapsed_s"] = Math.Round(limited.Elapsed.TotalSeconds, 2),
            ["baseline_throughput_rpm"] = unlimited is null ? null : Math.Round(unlimited.ThroughputRpm, 1),
            ["baseline_server_429s"] = unlimited?.Server429s,
            ["baseline_failed_items"] = unlimited?.FailedItems,
            ["baseline_elapsed_s"] = unlimited is null ? null : Math.Round(unlimited.Elapsed.TotalSeconds, 2),
        }));
    }

    private static async Task<Measurement> RunOnceAsync(int rpm, int latencyMs, int items, int concurrency, bool clientLimit)
    {
        await using var server = await OpenAITestServer.StartAsync(new OpenAITestServerOptions
        {
            RequestsPerMinute = rpm,
            ResponseLatency = TimeSpan.FromMilliseconds(latencyMs),
        }).ConfigureAwait(false);
        var settings = new Dictionary<string, string?>
        {
            ["AiEng:Chat:Provider"] = "OpenAI",
            ["AiEng:Chat:Model"] = "gpt-4o-mini",
            ["AiEng:Chat:Endpoint"] = server.BaseAddress.ToString(),
        };
        if (clientLimit)
        {
            settings["AiEng:Chat:Settings:RequestsPerMinute"] = rpm.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            // Without it the baseline's first 429s open the circuit breaker and most items fail at once, in a fraction of a
            // second; with it the baseline shows what retries honouring Retry-After alone achieve.
            settings["AiEng:Resilience:CircuitBreaker:Enabled"] = "false";
        }

        var services = new ServiceCollection();
        services.AddAiEng(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).AddOpenAI();
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();
        var prompts = Enumerable.Range(0, items).Select(i => new BatchItem<string>("row-" + i, "Classify row " + i));

        var watch = Stopwatch.StartNew();
        var result = await new BatchRunner(new BatchRunnerOptions { MaxConcurrency = concurrency }).RunChatAsync(chat, prompts).ConfigureAwait(false);
        watch.Stop();

        var answered = server.Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Select(r => r.Timestamp).Order().ToList();
        int rejected = server.RateLimitedCount;

        // Answered requests over the span of all arrivals: the server records arrivals, 429s included, so with 429s (the
        // baseline) the answered ones are counted and spread over the whole span; without them the two are the same.
        double span = (answered[^1] - answered[0]).TotalMinutes;
        double throughput = span > 0 ? (answered.Count - rejected - 1) / span : double.NaN;
        Console.Error.WriteLine(FormattableString.Invariant(
            $"batch-runner: {(clientLimit ? "client limit" : "baseline, no client limit")}: {result.Succeeded}/{items} succeeded in {watch.Elapsed.TotalSeconds:F1} s, {rejected} server 429s, {throughput:F1} requests/min answered"));
        return new Measurement(throughput, rejected, result.Failed, watch.Elapsed);
    }

    private sealed record Measurement(double ThroughputRpm, int Server429s, int FailedItems, TimeSpan Elapsed);
}
