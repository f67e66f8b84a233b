using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AiEng.Inference;
using AiEng.Onnx;
using Microsoft.Extensions.AI;

namespace AiEng.Benchmarks.SemanticCache;

/// <summary>
/// <c>semantic-cache</c>: how often the semantic cache (<c>UseSemanticCache</c>, all-MiniLM-L6-v2, the default guard) serves
/// a paraphrase from the cache, how often it wrongly serves a near-miss (a question whose correct answer differs), and what
/// a miss adds to a call. Options: <c>--split</c> (<c>test</c>, or <c>train</c>) the pairs reported on; <c>--threshold</c>
/// (the default, <see cref="SemanticCacheOptions.DefaultThreshold"/>); <c>--guard</c> (<c>key-terms</c>, or <c>none</c>);
/// <c>--data</c> (the directory of <c>pairs.train.jsonl</c> and <c>pairs.test.jsonl</c>, by default the committed set);
/// <c>--timing</c> (<c>on</c>, or <c>off</c> for hit rates only); <c>--verbose</c> (<c>on</c> lists the paraphrases missed); <c>--misses</c> (200) and <c>--rounds</c> (5) of the timing.
/// </summary>
/// <remarks>
/// <para>
/// Hit rates go through the public path: each pair gets a scope of its own (<see cref="SemanticCacheOptions.AdditionalScope"/>),
/// its first question is asked (a miss, so the answer is cached), then its second; a hit is a response marked
/// <see cref="ResponseCacheProperties.Hit"/>. The run also prints, on stderr, the sweep on the train split that chose the
/// default threshold: the lowest threshold (in steps of 0.01) at which no near-miss of the train split is served, with and without the guard.
/// </para>
/// <para>
/// The miss overhead is the mean time of a call that misses (embedding, vector search and storing the response) minus the mean
/// time of the same call to the model client alone (an offline client that answers at once), both measured in this run,
/// taking turns round by round; it is the cost a cache adds when it does not help.
/// </para>
/// </remarks>
internal static class SemanticCacheBenchmark
{
    private const string PairKey = "semantic-cache-benchmark.pair";

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        string split = arguments.GetString("split") ?? "test";
        double threshold = arguments.GetDouble("threshold", SemanticCacheOptions.DefaultThreshold);
        string guardName = arguments.GetString("guard") ?? "key-terms";
        string directory = arguments.GetString("data") ?? Path.Combine(AppContext.BaseDirectory, "SemanticCache", "data");
        bool timing = (arguments.GetString("timing") ?? "on") != "off";
        int misses = arguments.GetInt("misses", 200);
        int rounds = arguments.GetInt("rounds", 5);
        bool verbose = arguments.GetString("verbose") == "on";
        if (split is not ("test" or "train") || guardName is not ("key-terms" or "none") || misses < 1 || rounds < 1)
        {
            throw new ArgumentException("--split is test or train, --guard is key-terms or none, --misses and --rounds are at least 1.");
        }

        ISemanticCacheGuard? guard = guardName == "none" ? null : new KeyTermSemanticCacheGuard();
        IReadOnlyList<QuestionPair> train = QuestionPair.Load(Path.Combine(directory, "pairs.train.jsonl"));
        IReadOnlyList<QuestionPair> reported = split == "train" ? train : QuestionPair.Load(Path.Combine(directory, "pairs.test.jsonl"));
        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions());

        await SweepAsync(generator, train).ConfigureAwait(false);

        var model = new OfflineModel();
        using IChatClient cached = model.AsBuilder().UseSemanticCache(generator, o =>
        {
            o.Threshold = threshold;
            o.Guard = guard;
            o.AdditionalScope = (_, options) => options?.AdditionalProperties?[PairKey] as string;
        }).Build();

        int paraphrases = 0, paraphraseHits = 0, nearMisses = 0, falseHits = 0;
        foreach (QuestionPair pair in reported)
        {
            var options = new ChatOptions { AdditionalProperties = new() { [PairKey] = pair.Id } };
            await cached.GetResponseAsync(pair.Cached, options).ConfigureAwait(false);
            ChatResponse response = await cached.GetResponseAsync(pair.Query, options).ConfigureAwait(false);
            bool hit = ResponseCacheProperties.GetHit(response.AdditionalProperties) is not null;
            if (pair.IsParaphrase)
            {
                paraphrases++;
                paraphraseHits += hit ? 1 : 0;
                if (!hit && verbose)
                {
                    Log($"semantic-cache: paraphrase miss {pair.Id}: '{pair.Query}' not served from '{pair.Cached}'");
                }
            }
            else
            {
                nearMisses++;
                falseHits += hit ? 1 : 0;
                if (hit)
                {
                    Log($"semantic-cache: false hit {pair.Id} ({pair.Kind}): '{pair.Query}' served from '{pair.Cached}'");
                }
            }
        }

        (double? plainMs, double? missMs) = timing ? await TimeMissesAsync(generator, reported, misses, rounds).ConfigureAwait(false) : (null, null);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "semantic-cache",
            split,
            threshold,
            guard = guardName,
            embedding_model = "all-MiniLM-L6-v2",
            pairs = reported.Count,
            paraphrases,
            near_misses = nearMisses,
            paraphrase_hits = paraphraseHits,
            false_hits = falseHits,
            paraphrase_hit_rate = Math.Round((double)paraphraseHits / paraphrases, 4),
            false_hit_rate = Math.Round((double)falseHits / nearMisses, 4),
            plain_call_ms = plainMs is null ? (double?)null : Math.Round(plainMs.Value, 4),
            miss_call_ms = missMs is null ? (double?)null : Math.Round(missMs.Value, 4),
            miss_overhead_ms = missMs is null ? (double?)null : Math.Round(missMs.Value - plainMs!.Value, 4),
        }));
    }

    /// <summary>Prints, per threshold, the train split's rates with cosine alone and with the guard, and the lowest threshold without a false hit.</summary>
    private static async Task SweepAsync(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<QuestionPair> train)
    {
        var guard = new KeyTermSemanticCacheGuard();
        GeneratedEmbeddings<Embedding<float>> cachedVectors = await generator.GenerateAsync(train.Select(p => p.Cached)).ConfigureAwait(false);
        GeneratedEmbeddings<Embedding<float>> queryVectors = await generator.GenerateAsync(train.Select(p => p.Query)).ConfigureAwait(false);
        var scored = train.Select((pair, i) => (
            Pair: pair,
            Similarity: (double)System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(cachedVectors[i].Vector.Span, queryVectors[i].Vector.Span),
            Guarded: guard.CanServe(pair.Query, pair.Cached))).ToArray();
        int paraphrases = scored.Count(s => s.Pair.IsParaphrase);
        int nearMisses = scored.Length - paraphrases;
        double? lowestCosine = null, lowestGuarded = null;
        for (int step = 50; step <= 100; step++)
        {
            double t = step / 100.0;
            int cosineFalse = scored.Count(s => !s.Pair.IsParaphrase && s.Similarity >= t);
            int guardedFalse = scored.Count(s => !s.Pair.IsParaphrase && s.Similarity >= t && s.Guarded);
            int cosineHits = scored.Count(s => s.Pair.IsParaphrase && s.Similarity >= t);
            int guardedHits = scored.Count(s => s.Pair.IsParaphrase && s.Similarity >= t && s.Guarded);
            lowestCosine ??= cosineFalse == 0 ? t : null;
            lowestGuarded ??= guardedFalse == 0 ? t : null;
            Log(string.Create(CultureInfo.InvariantCulture,
                $"semantic-cache: train t={t:F2} cosine: paraphrase {(double)cosineHits / paraphrases:P1} false {(double)cosineFalse / nearMisses:P1} | guard: paraphrase {(double)guardedHits / paraphrases:P1} false {(double)guardedFalse / nearMisses:P1}"));
        }

        Log(string.Create(CultureInfo.InvariantCulture,
            $"semantic-cache: train ({train.Count} pairs): lowest threshold without a false hit: cosine alone {lowestCosine}, with the key-term guard {lowestGuarded}"));
    }

    /// <summary>Times calls that miss (a fresh scope each) against the same calls to the model alone; returns the mean milliseconds of each.</summary>
    private static async Task<(double? PlainMs, double? MissMs)> TimeMissesAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<QuestionPair> pairs, int misses, int rounds)
    {
        var model = new OfflineModel();
        int scope = 0;
        using IChatClient cached = model.AsBuilder().UseSemanticCache(generator, o => o.AdditionalScope = (_, _) => (++scope).ToString(CultureInfo.InvariantCulture)).Build();
        string[] questions = [.. Enumerable.Range(0, misses).Select(i => pairs[i % pairs.Count].Cached)];

        // Warm up both paths (JIT, the ONNX session).
        foreach (string question in questions.Take(20))
        {
            await model.GetResponseAsync(question).ConfigureAwait(false);
            await cached.GetResponseAsync(question).ConfigureAwait(false);
        }

        double plainBest = double.MaxValue, missBest = double.MaxValue;
        for (int round = 1; round <= rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            foreach (string question in questions)
            {
                await model.GetResponseAsync(question).ConfigureAwait(false);
            }

            double plain = Stopwatch.GetElapsedTime(start).TotalMilliseconds / questions.Length;
            start = Stopwatch.GetTimestamp();
            foreach (string question in questions)
            {
                await cached.GetResponseAsync(question).ConfigureAwait(false);
            }

            double miss = Stopwatch.GetElapsedTime(start).TotalMilliseconds / questions.Length;
            Log(string.Create(CultureInfo.InvariantCulture, $"semantic-cache: round {round}/{rounds}: plain {plain:F4} ms, miss {miss:F4} ms per call"));
            plainBest = Math.Min(plainBest, plain);
            missBest = Math.Min(missBest, miss);
        }

        return (plainBest, missBest);
    }

    private static void Log(string message) => Console.Error.WriteLine(message);

    /// <summary>A model that answers at once, so that a timing measures the cache alone.</summary>
    private sealed class OfflineModel : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "An answer.")) { FinishReason = ChatFinishReason.Stop, ModelId = "offline" });

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (ChatResponseUpdate update in (await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false)).ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
