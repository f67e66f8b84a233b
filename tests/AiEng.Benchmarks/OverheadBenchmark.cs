using System.Diagnostics;
using System.Globalization;
using AiEng.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace AiEng.Benchmarks;

/// <summary>
/// <c>overhead</c>: what AiEng's default middleware (usage tracking outside resilience, as <c>AddAiEng</c> builds it: the
/// model's pipeline as Polly's registry builds it, with Polly's telemetry on and the default options) adds to a chat call, against the same no-op client called directly, in the same process. The no-op client returns a completed task with
/// usage, so no tokenizer runs and the figures are the middleware's own time and allocations.
/// </summary>
internal static class OverheadBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int calls = arguments.GetInt("calls", 200_000);
        int rounds = arguments.GetInt("rounds", 7);

        using var raw = new NoOpChatClient();
        var ledger = new UsageLedger();
        var resilience = new ResiliencePipelineBuilder()
            .ConfigureTelemetry(NullLoggerFactory.Instance)
            .AddModelResilience(new ResilienceOptions())
            .Build();
        var builder = new ChatClientBuilder(raw)
            .UseUsageTracking(ledger, options => options.Prices["noop-model"] = new ModelPrice { InputPerMillion = 0.15m, OutputPerMillion = 0.60m });

        // resilience=options measures UseResilience(options), the private pipeline of a client built outside AddAiEng.
        bool fromOptions = arguments.GetString("resilience") == "options";
        using var pipeline = (fromOptions ? builder.UseResilience() : builder.UseResilience(resilience)).Build();
        List<ChatMessage> messages = [new(ChatRole.User, "ping")];

        // Warm up both paths (JIT tiers, pools), then measure in interleaved rounds so drift in machine load hits both alike.
        await MeasureAsync(raw, messages, calls).ConfigureAwait(false);
        await MeasureAsync(pipeline, messages, calls).ConfigureAwait(false);

        var rawNs = new List<double>();
        var pipelineNs = new List<double>();
        var rawBytes = new List<double>();
        var pipelineBytes = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            var (ns, bytes) = await MeasureAsync(raw, messages, calls).ConfigureAwait(false);
            rawNs.Add(ns);
            rawBytes.Add(bytes);
            (ns, bytes) = await MeasureAsync(pipeline, messages, calls).ConfigureAwait(false);
            pipelineNs.Add(ns);
            pipelineBytes.Add(bytes);
            await Console.Error.WriteLineAsync($"round {round + 1}: raw {rawNs[^1]:F0} ns, pipeline {pipelineNs[^1]:F0} ns, {pipelineBytes[^1] - rawBytes[^1]:F0} B").ConfigureAwait(false);
        }

        if (ledger.GetTotals().Calls != (rounds + 1) * (long)calls)
        {
            throw new InvalidOperationException("The usage tracker did not record every call; the measurement is not valid.");
        }

        double rawMedian = Median(rawNs), pipelineMedian = Median(pipelineNs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"overhead\",\"resilience\":\"{(fromOptions ? "options" : "registry")}\",\"raw_ns\":{rawMedian:F1},\"pipeline_ns\":{pipelineMedian:F1},\"overhead_ns\":{pipelineMedian - rawMedian:F1},\"overhead_bytes\":{Median(pipelineBytes) - Median(rawBytes):F1}}}"));
    }

    private static async Task<(double Ns, double Bytes)> MeasureAsync(IChatClient client, List<ChatMessage> messages, int calls)
    {
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            await client.GetResponseAsync(messages).ConfigureAwait(false);
        }

        double elapsedNs = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return (elapsedNs / calls, (double)allocated / calls);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Answers at once with one shared response that carries usage, so the raw call costs next to nothing.</summary>
    private sealed class NoOpChatClient : IChatClient
    {
        private static readonly ChatClientMetadata Metadata = new("noop", null, "noop-model");

        private readonly Task<ChatResponse> _response = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "pong"))
        {
            ModelId = "noop-model",
            Usage = new UsageDetails { InputTokenCount = 8, OutputTokenCount = 1, TotalTokenCount = 9 },
        });

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => _response;

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata : null;

        public void Dispose()
        {
        }
    }
}
