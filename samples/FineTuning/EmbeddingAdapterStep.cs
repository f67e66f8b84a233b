using System.Globalization;
using System.Text.Json;
using AiEng.Evaluation;
using AiEng.FineTuning;
using AiEng.Inference;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace AiEng.Samples.FineTuning;

/// <summary>
/// Step 8 of the sample, offline: trains an embedding adapter for the local MiniLM model on the bundled (query, passage)
/// pairs of <c>data/adapter-queries.jsonl</c> over <c>data/adapter-corpus.jsonl</c>, and prints retrieval quality on the
/// held-out queries before and after. Only query vectors are transformed; the passages keep the base model's vectors.
/// </summary>
public static class EmbeddingAdapterStep
{
    private const int BatchSize = 16;

    /// <summary>Runs the step.</summary>
    /// <param name="root">The folder holding <c>data/</c>.</param>
    /// <param name="generator">The embedding model, normally AiEng's local all-MiniLM-L6-v2.</param>
    /// <param name="console">Where the progress bar and the results are written.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>Recall@5 and nDCG@10 on the held-out queries, before and after.</returns>
    public static async Task<EmbeddingAdapterStepResult> RunAsync(
        string root, IEmbeddingGenerator<string, Embedding<float>> generator, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        var passages = await ReadAsync(Path.Combine(root, "data", "adapter-corpus.jsonl"), e => (Id: e.GetProperty("id").GetString()!, Text: e.GetProperty("text").GetString()!), cancellationToken);
        var queries = await ReadAsync(
            Path.Combine(root, "data", "adapter-queries.jsonl"),
            e => (Id: e.GetProperty("id").GetString()!, Text: e.GetProperty("query").GetString()!, Passage: e.GetProperty("passage").GetString()!, Train: e.GetProperty("split").GetString() == "train"),
            cancellationToken);

        // Embed the passages as documents and the queries as queries, then train, with a progress bar.
        var (passageVectors, queryVectors, adapter, training) = await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask embedding = context.AddTask("Embedding passages and queries", maxValue: passages.Count + queries.Count);
                float[][] passageVectors = await EmbedAsync(generator, [.. passages.Select(p => p.Text)], EmbeddingInputKind.Document, embedding, cancellationToken);
                float[][] queryVectors = await EmbedAsync(generator, [.. queries.Select(q => q.Text)], EmbeddingInputKind.Query, embedding, cancellationToken);
                ProgressTask trainingTask = context.AddTask("Training the adapter", maxValue: 1);
                var (adapter, training) = Train(generator, passages, queries, passageVectors, queryVectors, cancellationToken);
                trainingTask.Value = 1;
                return (passageVectors, queryVectors, adapter, training);
            });

        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Embedded {passages.Count} passages and {queries.Count} queries with {generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "the embedding model"}; trained a {adapter.Kind} adapter ({adapter.ParameterCount:N0} parameters) in {training.Elapsed.TotalSeconds:F1} s."));
        var passageIds = passages.Select(p => p.Id).ToArray();
        var held = queries.Select((q, i) => (Query: q, Vector: queryVectors[i])).Where(x => !x.Query.Train).ToList();
        var before = Score(held.Select(x => (x.Vector, x.Query.Passage)), passageVectors, passageIds);
        var after = Score(held.Select(x => (adapter.Transform(x.Vector), x.Query.Passage)), passageVectors, passageIds);
        var result = new EmbeddingAdapterStepResult(queries.Count(q => q.Train), held.Count, passages.Count, before.Recall, before.Ndcg, after.Recall, after.Ndcg, training);
        console.WriteLine(result.ToString());
        return result;
    }

    private static (EmbeddingAdapter Adapter, EmbeddingAdapterTrainingResult Result) Train(
        IEmbeddingGenerator<string, Embedding<float>> generator,
        IReadOnlyList<(string Id, string Text)> passages,
        IReadOnlyList<(string Id, string Text, string Passage, bool Train)> queries,
        float[][] passageVectors,
        float[][] queryVectors,
        CancellationToken cancellationToken)
    {
        var index = passages.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var passageIds = passages.Select(p => p.Id).ToArray();
        var examples = new List<EmbeddingAdapterExample>();
        for (int i = 0; i < queries.Count; i++)
        {
            if (!queries[i].Train)
            {
                continue;
            }

            // Hard negatives: the passages the base model ranks highest that are not the answer.
            var ranking = Rank(queryVectors[i], passageVectors, passageIds);
            var negatives = EmbeddingAdapterLabels.MineHardNegatives(ranking, [queries[i].Passage], count: 4);
            examples.Add(new EmbeddingAdapterExample(queryVectors[i], passageVectors[index[queries[i].Passage]], [.. negatives.Select(id => (ReadOnlyMemory<float>)passageVectors[index[id]])])
            {
                Group = queries[i].Id,
            });
        }

        string model = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "all-MiniLM-L6-v2";
        var adapter = new LinearEmbeddingAdapter(model, passageVectors[0].Length);
        // The trainer's defaults (30 epochs, learning rate 5e-4); no validation split: 36 queries are few, and the held-out
        // queries are kept for the before/after figures, never for choosing settings.
        var result = EmbeddingAdapterTrainer.Train(adapter, examples, new EmbeddingAdapterTrainingOptions { ValidationFraction = 0 }, cancellationToken);
        return (adapter, result);
    }

    private static async Task<float[][]> EmbedAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, string[] texts, EmbeddingInputKind kind, ProgressTask task, CancellationToken cancellationToken)
    {
        var vectors = new List<float[]>(texts.Length);
        var options = new EmbeddingGenerationOptions().WithInputKind(kind);
        foreach (string[] batch in texts.Chunk(BatchSize))
        {
            var embeddings = await generator.GenerateAsync(batch, options, cancellationToken);
            vectors.AddRange(embeddings.Select(e => e.Vector.ToArray()));
            task.Increment(batch.Length);
        }

        return [.. vectors];
    }

    private static (double Recall, double Ndcg) Score(IEnumerable<(float[] Vector, string Relevant)> queries, float[][] passageVectors, string[] passageIds)
    {
        double recall = 0, ndcg = 0;
        int count = 0;
        foreach (var (vector, relevant) in queries)
        {
            var ranking = Rank(vector, passageVectors, passageIds);
            var qrels = new Dictionary<string, int>(StringComparer.Ordinal) { [relevant] = 1 };
            recall += RetrievalMetrics.RecallAtK(ranking, qrels, 5);
            ndcg += RetrievalMetrics.NdcgAtK(ranking, qrels, 10);
            count++;
        }

        return (recall / count, ndcg / count);
    }

    private static string[] Rank(float[] query, float[][] passageVectors, string[] passageIds) =>
        [.. passageIds.Select((id, i) => (id, Score: System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(query, passageVectors[i])))
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.id, StringComparer.Ordinal)
            .Select(x => x.id)];

    private static async Task<List<T>> ReadAsync<T>(string path, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        foreach (string line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            if (line.Length > 0)
            {
                using var document = JsonDocument.Parse(line);
                items.Add(read(document.RootElement));
            }
        }

        return items;
    }
}

/// <summary>What the adapter step measured on the held-out queries.</summary>
/// <param name="TrainingQueries">The number of training queries.</param>
/// <param name="HeldOutQueries">The number of held-out queries the figures are measured on.</param>
/// <param name="Passages">The number of passages searched.</param>
/// <param name="RecallBefore">Recall@5 with the base model.</param>
/// <param name="NdcgBefore">nDCG@10 with the base model.</param>
/// <param name="RecallAfter">Recall@5 with the adapter on the queries.</param>
/// <param name="NdcgAfter">nDCG@10 with the adapter on the queries.</param>
/// <param name="Training">What training did.</param>
public sealed record EmbeddingAdapterStepResult(
    int TrainingQueries, int HeldOutQueries, int Passages, double RecallBefore, double NdcgBefore, double RecallAfter, double NdcgAfter, EmbeddingAdapterTrainingResult Training)
{
    /// <summary>Describes the result in two lines.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Embedding adapter: trained on {TrainingQueries} queries ({Training.EpochsRun} epochs), measured on {HeldOutQueries} held-out queries over {Passages} passages.\n" +
        $"  recall@5 {RecallBefore:F3} -> {RecallAfter:F3}   nDCG@10 {NdcgBefore:F4} -> {NdcgAfter:F4}");
}
