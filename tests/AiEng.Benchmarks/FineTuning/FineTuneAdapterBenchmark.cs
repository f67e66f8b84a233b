using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AiEng.Benchmarks.Beir;
using AiEng.FineTuning;
using AiEng.Inference;
using AiEng.Onnx;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;

namespace AiEng.Benchmarks.FineTuning;

/// <summary>
/// <c>finetune-adapter --data DIR [--train train] [--eval test] [--folds K] [--variant linear|residual|distilled|all]</c>:
/// trains embedding adapters for all-MiniLM-L6-v2 on a BEIR collection and measures dense and hybrid nDCG@10 without and
/// with the adapter. Prints one JSON line per variant.
/// </summary>
/// <remarks>
/// <para>
/// linear and residual train a <see cref="LinearEmbeddingAdapter"/> and a <see cref="ResidualEmbeddingAdapter"/> on the judged
/// (query, relevant passage) pairs of the <c>--train</c> split, with <c>--negatives</c> (8) hard negatives per query mined
/// from the base dense ranking. distilled trains the <c>--distill-kind</c> adapter (linear) without judgments: the same
/// queries' texts are ranked by the teacher, the benchmark's hybrid retriever, whose top passage is the positive and whose
/// passages from rank <c>--distill-negatives-from</c> (10) on are the hard negatives.
/// </para>
/// <para>
/// Queries go through the pipeline a user builds: the ONNX generator behind a disk cache of query vectors, and
/// <c>UseEmbeddingAdapter</c> for the adapted runs. dense ranks the cached corpus vectors (<see cref="DenseCorpusIndex"/>) by
/// cosine similarity; hybrid is the <c>beir</c> benchmark's own (<see cref="BeirBenchmark.HybridSearchAsync"/>: min-max fusion
/// of bm25 and dense at depth 1000, weight 0.5), so hybrid_before equals its figure.
/// </para>
/// <para>
/// <c>--folds K</c> is for a collection with a single judged split: the judged queries of <c>--eval</c> are dealt into K seeded
/// folds; each fold is evaluated with adapters trained on the other K-1, and the figures are the means over the folds.
/// Run it on a train split (<c>--eval train --folds 5</c>) to choose hyperparameters without looking at test queries.
/// train_s covers building the examples (mining negatives or pseudo-labels from vectors already embedded) and training.
/// </para>
/// </remarks>
internal static class FineTuneAdapterBenchmark
{
    private static readonly EmbeddingGenerationOptions QueryOptions = new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Query);

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        string directory = arguments.GetString("data") ?? throw new ArgumentException("--data DIR is required (a BEIR-format directory with corpus.jsonl, queries.jsonl and qrels/).");
        string trainSplit = arguments.GetString("train") ?? "train";
        string evalSplit = arguments.GetString("eval") ?? "test";
        int folds = arguments.GetInt("folds", 0);
        string variant = (arguments.GetString("variant") ?? "all").ToLowerInvariant();
        string[] variants = variant switch
        {
            "all" => ["linear", "residual", "distilled"],
            "linear" or "residual" or "distilled" => [variant],
            _ => throw new ArgumentException($"--variant must be linear, residual, distilled or all, not '{variant}'."),
        };
        if (folds == 1 || folds < 0)
        {
            throw new ArgumentException("--folds must be at least 2 (or left out to train on --train and evaluate on --eval).");
        }

        if (folds == 0 && trainSplit == evalSplit)
        {
            throw new ArgumentException($"--train and --eval are both '{evalSplit}'; train on another split, or use --folds K to cross-validate within one split.");
        }

        var settings = Settings.From(arguments);
        var dataset = BeirDataset.Load(directory);
        var evalQrels = dataset.LoadQrels(evalSplit);
        string[] evalIds = BeirBenchmark.JudgedQueries(dataset, evalQrels, evalSplit);
        var trainQrels = folds == 0 ? dataset.LoadQrels(trainSplit) : evalQrels;
        string[] trainIds = folds == 0 ? BeirBenchmark.JudgedQueries(dataset, trainQrels, trainSplit) : [];
        Log($"finetune-adapter: {dataset.Name}: {dataset.Corpus.Length} documents; " +
            (folds == 0 ? $"train on {trainIds.Length} queries of '{trainSplit}', evaluate on {evalIds.Length} of '{evalSplit}'" : $"{folds}-fold cross-validation over {evalIds.Length} queries of '{evalSplit}'"));

        var bm25 = BeirBenchmark.BuildBm25(dataset);
        using var onnx = new OnnxEmbeddingGenerator();
        var dense = await DenseCorpusIndex.LoadOrBuildAsync(dataset, onnx, OnnxEmbeddingGeneratorOptions.DefaultMaxSequenceLength).ConfigureAwait(false);
        string cache = Path.Combine(Path.GetTempPath(), "aieng-beir-cache", "queries");
        IEmbeddingGenerator<string, Embedding<float>> baseline = onnx.AsBuilder().UseDiskCache(cache).Build();
        var context = new Context(dataset, bm25, dense, baseline, settings, onnx.GetService<EmbeddingGeneratorMetadata>()!);

        var watch = Stopwatch.StartNew();
        var queryVectors = await context.EmbedQueriesAsync(folds == 0 ? trainIds : evalIds).ConfigureAwait(false);
        Log($"finetune-adapter: embedded {queryVectors.Count} training queries in {watch.Elapsed.TotalSeconds:F1} s (query cache {cache})");

        var splits = folds == 0
            ? [(Train: trainIds, Eval: evalIds)]
            : Folds(evalIds, folds, settings.Seed);
        foreach (string name in variants)
        {
            var runs = new List<Run>();
            foreach (var (train, eval) in splits)
            {
                runs.Add(await context.RunAsync(name, train, trainQrels, queryVectors, eval, evalQrels).ConfigureAwait(false));
            }

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "finetune-adapter",
                dataset = dataset.Name,
                variant = name,
                adapter = runs[0].Kind,
                train = folds == 0 ? trainSplit : $"{folds - 1}/{folds} of {evalSplit}",
                eval = folds == 0 ? evalSplit : $"1/{folds} of {evalSplit}",
                folds = Math.Max(1, folds),
                train_queries = runs.Average(r => r.TrainQueries),
                examples = runs.Average(r => r.Examples),
                eval_queries = runs.Sum(r => r.EvalQueries),
                dense_before = Mean(runs, r => r.DenseBefore),
                dense_after = Mean(runs, r => r.DenseAfter),
                hybrid_before = Mean(runs, r => r.HybridBefore),
                hybrid_after = Mean(runs, r => r.HybridAfter),
                train_s = Math.Round(runs.Average(r => r.TrainSeconds), 2),
                epochs = runs.Average(r => r.Epochs),
                best_epoch = runs.Average(r => r.BestEpoch),
                unseen_queries = runs.Sum(r => r.UnseenQueries),
                unseen_dense_before = Mean(runs, r => r.UnseenDenseBefore),
                unseen_dense_after = Mean(runs, r => r.UnseenDenseAfter),
                unseen_hybrid_before = Mean(runs, r => r.UnseenHybridBefore),
                unseen_hybrid_after = Mean(runs, r => r.UnseenHybridAfter),
            }));
        }
    }

    private static double Mean(List<Run> runs, Func<Run, double> value) => Math.Round(runs.Average(value), 4);

    private static List<(string[] Train, string[] Eval)> Folds(string[] ids, int folds, int seed)
    {
        string[] shuffled = [.. ids.Order(StringComparer.Ordinal)];
        new Random(seed).Shuffle(shuffled);
        var result = new List<(string[] Train, string[] Eval)>();
        for (int f = 0; f < folds; f++)
        {
            string[] eval = [.. shuffled.Where((_, i) => i % folds == f)];
            string[] train = [.. shuffled.Where((_, i) => i % folds != f)];
            result.Add((train, eval));
        }

        return result;
    }

    private static void Log(string message) => Console.Error.WriteLine(message);

    /// <summary>The figures of one training and evaluation.</summary>
    private sealed record Run(
        string Kind, int TrainQueries, int Examples, int EvalQueries, double DenseBefore, double DenseAfter, double HybridBefore, double HybridAfter, double TrainSeconds, int Epochs, int BestEpoch,
        int UnseenQueries, double UnseenDenseBefore, double UnseenDenseAfter, double UnseenHybridBefore, double UnseenHybridAfter);

    /// <summary>The benchmark's hyperparameters, from the command line (defaults: the library's).</summary>
    private sealed record Settings(
        EmbeddingAdapterTrainingOptions Training, int Negatives, int NegativeSkip, int Hidden, string DistillKind, int DistillPositives, int DistillNegativesFrom, double Weight, int Depth, int Seed)
    {
        public static Settings From(BenchmarkArguments arguments)
        {
            var defaults = new EmbeddingAdapterTrainingOptions();
            var training = new EmbeddingAdapterTrainingOptions
            {
                Epochs = arguments.GetInt("epochs", defaults.Epochs),
                BatchSize = arguments.GetInt("batch", defaults.BatchSize),
                LearningRate = arguments.GetDouble("lr", defaults.LearningRate),
                Temperature = arguments.GetDouble("temperature", defaults.Temperature),
                IdentityRegularization = arguments.GetDouble("l2", defaults.IdentityRegularization),
                ValidationFraction = arguments.GetDouble("validation", defaults.ValidationFraction),
                Patience = arguments.GetInt("patience", defaults.Patience),
                Seed = arguments.GetInt("seed", defaults.Seed),
            };
            string distillKind = (arguments.GetString("distill-kind") ?? "linear").ToLowerInvariant();
            if (distillKind is not ("linear" or "residual"))
            {
                throw new ArgumentException($"--distill-kind must be linear or residual, not '{distillKind}'.");
            }

            return new Settings(
                training,
                arguments.GetInt("negatives", 8),
                arguments.GetInt("negative-skip", 0),
                arguments.GetInt("hidden", ResidualEmbeddingAdapter.DefaultHiddenSize),
                distillKind,
                arguments.GetInt("distill-positives", 1),
                arguments.GetInt("distill-negatives-from", 10),
                arguments.GetDouble("weight", 0.5),
                arguments.GetInt("fusion-depth", 1000),
                training.Seed);
        }
    }

    /// <summary>What every run shares: the data, the indexes and the base pipeline.</summary>
    private sealed class Context(
        BeirDataset dataset, Bm25Index<string> bm25, DenseCorpusIndex dense, IEmbeddingGenerator<string, Embedding<float>> baseline, Settings settings, EmbeddingGeneratorMetadata metadata)
    {
        private readonly Dictionary<string, int> _rows = dense.Ids.Select((id, row) => (id, row)).ToDictionary(p => p.id, p => p.row, StringComparer.Ordinal);
        private readonly Dictionary<string, (double Dense, double Hybrid)> _before = new(StringComparer.Ordinal);

        public async Task<Dictionary<string, ReadOnlyMemory<float>>> EmbedQueriesAsync(string[] ids)
        {
            var vectors = new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);
            string[] texts = [.. ids.Select(id => dataset.Queries[id])];
            var embeddings = await baseline.GenerateAsync(texts, QueryOptions).ConfigureAwait(false);
            for (int i = 0; i < ids.Length; i++)
            {
                vectors[ids[i]] = embeddings[i].Vector;
            }

            return vectors;
        }

        public async Task<Run> RunAsync(
            string variant, string[] trainIds, Dictionary<string, Dictionary<string, int>> trainQrels, Dictionary<string, ReadOnlyMemory<float>> queryVectors,
            string[] evalIds, Dictionary<string, Dictionary<string, int>> evalQrels)
        {
            string kind = variant == "distilled" ? settings.DistillKind : variant;
            var watch = Stopwatch.StartNew();
            List<EmbeddingAdapterExample> examples = variant == "distilled"
                ? await PseudoLabelledAsync(trainIds, queryVectors).ConfigureAwait(false)
                : Labelled(trainIds, trainQrels, queryVectors);
            EmbeddingAdapter adapter = kind == "linear"
                ? new LinearEmbeddingAdapter(metadata.DefaultModelId!, dense.Row(0).Length)
                : new ResidualEmbeddingAdapter(metadata.DefaultModelId!, dense.Row(0).Length, settings.Hidden, seed: settings.Seed);
            var result = EmbeddingAdapterTrainer.Train(adapter, examples, settings.Training);
            double seconds = watch.Elapsed.TotalSeconds;
            Log($"finetune-adapter: {variant}: {examples.Count} examples from {trainIds.Length} queries; {result.EpochsRun} epochs (kept {result.BestEpoch}), " +
                $"validation loss {result.InitialValidationLoss:F4} -> {result.BestValidationLoss:F4}, {seconds:F1} s; " +
                $"losses per epoch: {string.Join(' ', result.ValidationLosses.Select(l => l.ToString("F3", CultureInfo.InvariantCulture)))}");

            var adapted = baseline.AsBuilder().UseEmbeddingAdapter(adapter).Build();
            string key = string.Join(',', evalIds);
            if (!_before.TryGetValue(key, out var before))
            {
                _before[key] = before = await MeasureAsync(baseline, evalIds, evalQrels).ConfigureAwait(false);
            }

            var after = await MeasureAsync(adapted, evalIds, evalQrels).ConfigureAwait(false);

            // Reported, never used for training or selection: the evaluated queries none of whose relevant passages was a
            // positive of the training examples, where an adapter cannot have learnt the passages themselves.
            var seen = new HashSet<string>(trainIds.SelectMany(id => trainQrels[id].Where(p => p.Value > 0).Select(p => p.Key)), StringComparer.Ordinal);
            string[] unseen = [.. evalIds.Where(id => !evalQrels[id].Any(p => p.Value > 0 && seen.Contains(p.Key)))];
            var unseenBefore = unseen.Length > 0 ? await MeasureAsync(baseline, unseen, evalQrels).ConfigureAwait(false) : (0, 0);
            var unseenAfter = unseen.Length > 0 ? await MeasureAsync(adapted, unseen, evalQrels).ConfigureAwait(false) : (0, 0);
            return new Run(
                kind, trainIds.Length, examples.Count, evalIds.Length, before.Dense, after.Dense, before.Hybrid, after.Hybrid, seconds, result.EpochsRun, result.BestEpoch,
                unseen.Length, unseenBefore.Dense, unseenAfter.Dense, unseenBefore.Hybrid, unseenAfter.Hybrid);
        }

        private List<EmbeddingAdapterExample> Labelled(string[] trainIds, Dictionary<string, Dictionary<string, int>> qrels, Dictionary<string, ReadOnlyMemory<float>> queryVectors)
        {
            var examples = new List<EmbeddingAdapterExample>();
            foreach (string id in trainIds)
            {
                ReadOnlyMemory<float> query = queryVectors[id];
                string[] relevant = [.. qrels[id].Where(p => p.Value > 0 && _rows.ContainsKey(p.Key)).Select(p => p.Key)];
                var ranking = dense.Search(query.Span, settings.Negatives + settings.NegativeSkip + relevant.Length + 1).Select(h => h.Id);
                ReadOnlyMemory<float>[] negatives = Vectors(EmbeddingAdapterLabels.MineHardNegatives(ranking, relevant, settings.Negatives, settings.NegativeSkip));
                foreach (string document in relevant)
                {
                    examples.Add(new EmbeddingAdapterExample(query, dense.Row(_rows[document]), negatives) { Group = id });
                }
            }

            return examples;
        }

        private async Task<List<EmbeddingAdapterExample>> PseudoLabelledAsync(string[] trainIds, Dictionary<string, ReadOnlyMemory<float>> queryVectors)
        {
            // Only the queries' texts are used: the teacher (the hybrid) ranks the corpus, and its ranking labels the query.
            var examples = new List<EmbeddingAdapterExample>();
            int depth = settings.DistillNegativesFrom + settings.Negatives;
            foreach (string id in trainIds)
            {
                var ranking = await BeirBenchmark.HybridSearchAsync(bm25, dense, baseline, dataset.Queries[id], settings.Depth, settings.Weight, depth).ConfigureAwait(false);
                var label = EmbeddingAdapterLabels.PseudoLabel([.. ranking.Select(h => h.Id)], settings.DistillPositives, settings.DistillNegativesFrom, settings.Negatives);
                ReadOnlyMemory<float>[] negatives = Vectors(label.HardNegatives);
                foreach (string document in label.Positives)
                {
                    examples.Add(new EmbeddingAdapterExample(queryVectors[id], dense.Row(_rows[document]), negatives) { Group = id });
                }
            }

            return examples;
        }

        private ReadOnlyMemory<float>[] Vectors(IReadOnlyList<string> ids) => [.. ids.Select(id => dense.Row(_rows[id]))];

        private async Task<(double Dense, double Hybrid)> MeasureAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string[] ids, Dictionary<string, Dictionary<string, int>> qrels)
        {
            var denseScores = await BeirScores.MeasureAsync(dataset, ids, qrels, text => BeirBenchmark.DenseSearchAsync(dense, generator, text, 100)).ConfigureAwait(false);
            var hybridScores = await BeirScores.MeasureAsync(dataset, ids, qrels, text => BeirBenchmark.HybridSearchAsync(bm25, dense, generator, text, settings.Depth, settings.Weight, 100)).ConfigureAwait(false);
            return (denseScores.Ndcg, hybridScores.Ndcg);
        }
    }
}
