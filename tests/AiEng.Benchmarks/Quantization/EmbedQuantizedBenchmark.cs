using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json;
using AiEng.Benchmarks.Beir;
using AiEng.Inference;
using AiEng.Onnx;
using AiEng.Onnx.Quantization;
using Microsoft.Extensions.AI;

namespace AiEng.Benchmarks.Quantization;

/// <summary>
/// <c>embed-quantized [--data DIR] [--split test] [--texts 1000] [--threads N] [--batch-size 8] [--rounds 3] [--seed 42] [--timing on|off]</c>:
/// the embedded all-MiniLM-L6-v2 quantized to int8 by <see cref="OnnxQuantizer"/> (into a temporary folder, deleted at the
/// end) against the float32 original, in the same run. Prints one JSON line: <c>ratio</c> (int8 texts per second over
/// float32 texts per second), both rates, <c>mean_cosine</c> (and <c>min_cosine</c>) between the two models' vectors of the
/// same texts, the file sizes, and with <c>--data</c> the dense nDCG@10 of both models on that BEIR collection
/// (<c>ndcg_fp32</c>, <c>ndcg_int8</c>; null without it). <c>--timing off</c> skips the timed rounds (rates and ratio null),
/// for a quality-only run on a busy machine.
/// </summary>
/// <remarks>
/// <para>
/// Timing: both generators run with the same threads and batch size over the same <see cref="MixedLengthTexts"/> after a
/// warm-up; each round times both, the first to go alternating from round to round, so that load from other processes hits
/// both alike; each side keeps its best round.
/// </para>
/// <para>
/// Quality: the whole corpus is embedded by each model (several minutes a model; the matrices are cached as the <c>beir</c>
/// benchmark caches them, the int8 one under a name with its model hash) and every judged query of the split is searched by
/// exact cosine similarity, as <c>beir --retriever dense</c> does.
/// </para>
/// </remarks>
internal static class EmbedQuantizedBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int count = arguments.GetInt("texts", 1000);
        int threads = arguments.GetInt("threads", Environment.ProcessorCount);
        int batchSize = arguments.GetInt("batch-size", OnnxEmbeddingGeneratorOptions.DefaultBatchSize);
        int rounds = arguments.GetInt("rounds", 3);
        int seed = arguments.GetInt("seed", 42);
        string? data = arguments.GetString("data");
        string split = arguments.GetString("split") ?? "test";
        bool timing = (arguments.GetString("timing") ?? "on") != "off";
        if (count < 1 || threads < 1 || batchSize < 1 || rounds < 1)
        {
            throw new ArgumentException("--texts, --threads, --batch-size and --rounds must be at least 1.");
        }

        string folder = Directory.CreateTempSubdirectory("aieng-embed-quantized-").FullName;
        try
        {
            var watch = Stopwatch.StartNew();
            var quantized = await OnnxQuantizer.QuantizeEmbeddedModelAsync(Path.Combine(folder, "all-MiniLM-L6-v2-int8")).ConfigureAwait(false);
            Log($"embed-quantized: quantized in {watch.Elapsed.TotalSeconds:F1} s: {quantized.InputBytes / 1e6:F1} MB -> {quantized.OutputBytes / 1e6:F1} MB, "
                + $"{quantized.QuantizedNodes.Count} MatMuls int8, {quantized.SkippedNodes.Count} left float32 (first: {quantized.SkippedNodes.FirstOrDefault()})");

            using var float32 = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { IntraOpThreads = threads, BatchSize = batchSize });
            using var int8 = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions
            {
                ModelPath = quantized.ModelPath,
                VocabularyPath = quantized.VocabularyPath,
                IntraOpThreads = threads,
                BatchSize = batchSize,
            });

            string[] texts = MixedLengthTexts.Create(count, seed);
            Log($"embed-quantized: {count} texts (seed {seed}), threads {threads}, batch {batchSize}, {rounds} rounds");

            // The first pass over all texts warms both sessions up and gives the vectors compared.
            var floatVectors = await float32.GenerateAsync(texts).ConfigureAwait(false);
            var int8Vectors = await int8.GenerateAsync(texts).ConfigureAwait(false);
            var cosines = floatVectors.Zip(int8Vectors, (f, q) => (double)TensorPrimitives.CosineSimilarity(f.Vector.Span, q.Vector.Span)).ToArray();
            Log($"embed-quantized: cosine between the models' vectors: mean {cosines.Average():F5}, min {cosines.Min():F5}");

            double floatSeconds = double.MaxValue;
            double int8Seconds = double.MaxValue;
            for (int round = 1; timing && round <= rounds; round++)
            {
                bool int8First = round % 2 == 0;
                double first = await TimeAsync(int8First ? int8 : float32, texts).ConfigureAwait(false);
                double second = await TimeAsync(int8First ? float32 : int8, texts).ConfigureAwait(false);
                (double floatRound, double int8Round) = int8First ? (second, first) : (first, second);
                floatSeconds = Math.Min(floatSeconds, floatRound);
                int8Seconds = Math.Min(int8Seconds, int8Round);
                Log($"embed-quantized: round {round}/{rounds}: float32 {floatRound:F2} s, int8 {int8Round:F2} s (ratio {floatRound / int8Round:F3})");
            }

            double? ndcgFloat = null;
            double? ndcgInt8 = null;
            if (data is not null)
            {
                var dataset = BeirDataset.Load(data);
                var qrels = dataset.LoadQrels(split);
                var queryIds = BeirBenchmark.JudgedQueries(dataset, qrels, split);
                Log($"embed-quantized: {dataset.Name}: {dataset.Corpus.Length} documents, {queryIds.Length} judged queries in split '{split}'");
                ndcgFloat = await DenseNdcgAsync(dataset, qrels, queryIds, float32, modelKey: null).ConfigureAwait(false);
                string hash = int8.GetService<EmbeddingModelFingerprint>()!.Value;
                ndcgInt8 = await DenseNdcgAsync(dataset, qrels, queryIds, int8, $"{MiniLmModel.ModelId}-int8-{hash["sha256:".Length..][..16]}").ConfigureAwait(false);
                Log($"embed-quantized: dense nDCG@10 float32 {ndcgFloat:F4}, int8 {ndcgInt8:F4} (difference {ndcgInt8 - ndcgFloat:+0.0000;-0.0000})");
            }

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "embed-quantized",
                texts = count,
                threads,
                ratio = timing ? Math.Round(floatSeconds / int8Seconds, 3) : (double?)null,
                texts_per_s_fp32 = timing ? Math.Round(count / floatSeconds, 2) : (double?)null,
                texts_per_s_int8 = timing ? Math.Round(count / int8Seconds, 2) : (double?)null,
                ndcg_fp32 = ndcgFloat,
                ndcg_int8 = ndcgInt8,
                mean_cosine = Math.Round(cosines.Average(), 5),
                min_cosine = Math.Round(cosines.Min(), 5),
                mb_fp32 = Math.Round(quantized.InputBytes / 1e6, 1),
                mb_int8 = Math.Round(quantized.OutputBytes / 1e6, 1),
                quantized_matmuls = quantized.QuantizedNodes.Count,
            }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<double> DenseNdcgAsync(
        BeirDataset dataset, Dictionary<string, Dictionary<string, int>> qrels, string[] queryIds, OnnxEmbeddingGenerator generator, string? modelKey)
    {
        var dense = await DenseCorpusIndex.LoadOrBuildAsync(dataset, generator, OnnxEmbeddingGeneratorOptions.DefaultMaxSequenceLength, modelKey).ConfigureAwait(false);
        var scores = await BeirScores.MeasureAsync(dataset, queryIds, qrels, text => BeirBenchmark.DenseSearchAsync(dense, generator, text, 100)).ConfigureAwait(false);
        return scores.Ndcg;
    }

    private static async Task<double> TimeAsync(OnnxEmbeddingGenerator generator, string[] texts)
    {
        var watch = Stopwatch.StartNew();
        await generator.GenerateAsync(texts).ConfigureAwait(false);
        return watch.Elapsed.TotalSeconds;
    }

    private static void Log(string message) => Console.Error.WriteLine(message);
}
