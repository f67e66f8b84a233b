using AiEng.Benchmarks.Beir;
using AiEng.Benchmarks.Vectors;
using AiEng.Benchmarks.Evaluation;

namespace AiEng.Benchmarks;

/// <summary>Dispatches a benchmark by name. Each benchmark registers itself in <see cref="Benchmarks"/>.</summary>
internal static class BenchmarkRunner
{
    private static readonly Dictionary<string, Func<BenchmarkArguments, Task>> Benchmarks = new(StringComparer.OrdinalIgnoreCase)
    {
        ["beir"] = BeirBenchmark.RunAsync,
        ["finetune-adapter"] = FineTuning.FineTuneAdapterBenchmark.RunAsync,
        ["embed"] = EmbedBenchmark.RunAsync,
        ["hnsw-upsert"] = Vectors.HnswUpsertBenchmark.RunAsync,
        ["ingest-memory"] = Ingestion.IngestMemoryBenchmark.RunAsync,
        ["eval-runner"] = EvalRunnerBenchmark.RunAsync,
        ["ir-metrics"] = IrMetricsBenchmark.RunAsync,
        ["overhead"] = OverheadBenchmark.RunAsync,
        ["sqlite"] = Vectors.SqliteStoreBenchmark.RunAsync,
        ["vectors"] = Vectors.VectorsBenchmark.RunAsync,
        ["store-load"] = Load.StoreLoadBenchmark.RunAsync,
        ["prompts"] = PromptsBenchmark.RunAsync,
        ["semantic-cache"] = SemanticCache.SemanticCacheBenchmark.RunAsync,
        ["batch-runner"] = Batch.BatchRunnerBenchmark.RunAsync,
        ["embed-quantized"] = Quantization.EmbedQuantizedBenchmark.RunAsync,
        ["cascade"] = Cascade.CascadeBenchmark.RunAsync,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out var run))
        {
            await Console.Error.WriteLineAsync($"usage: AiEng.Benchmarks <{string.Join('|', Benchmarks.Keys.Order())}> [--option value ...]").ConfigureAwait(false);
            return 2;
        }

        try
        {
            await run(BenchmarkArguments.Parse(args.AsSpan(1))).ConfigureAwait(false);
            return 0;
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }
}
