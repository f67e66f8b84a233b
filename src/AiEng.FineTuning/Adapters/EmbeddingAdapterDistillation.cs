using AiEng.Inference;
using AiEng.Retrieval;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>
/// Builds adapter training examples without judgments: a stronger teacher retriever (such as AiEng's hybrid retriever)
/// ranks each unlabelled query, and its ranking is turned into a pseudo-label (<see cref="EmbeddingAdapterLabels.PseudoLabel"/>).
/// </summary>
public static class EmbeddingAdapterDistillation
{
    /// <summary>
    /// Asks <paramref name="teacher"/> for each query's top passages and returns one example per query: the teacher's top
    /// chunk as the positive and its chunks from rank <paramref name="negativesFrom"/> on as hard negatives, with vectors of
    /// the base model <paramref name="generator"/>.
    /// </summary>
    /// <param name="teacher">The teacher retriever, for example the registered hybrid <see cref="IRetriever"/>.</param>
    /// <param name="generator">The base model's generator, without the adapter being trained: queries are embedded as queries, and chunks the teacher returns without a vector as documents.</param>
    /// <param name="queries">Unlabelled queries, for example from a query log. Empty and repeated queries are skipped.</param>
    /// <param name="negativesFrom">The 0-based rank of the first hard negative; default 10.</param>
    /// <param name="negatives">How many hard negatives per query; default 8.</param>
    /// <param name="cancellationToken">Cancels the retrieval and embedding calls.</param>
    /// <returns>The examples, grouped by query text; a query the teacher finds nothing for gives none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="teacher"/>, <paramref name="generator"/> or <paramref name="queries"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="negativesFrom"/> is less than 1 or <paramref name="negatives"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The generator returned another number of embeddings than it was given texts.</exception>
    public static async Task<IReadOnlyList<EmbeddingAdapterExample>> CreateExamplesAsync(
        IRetriever teacher,
        IEmbeddingGenerator<string, Embedding<float>> generator,
        IEnumerable<string> queries,
        int negativesFrom = 10,
        int negatives = 8,
        CancellationToken cancellationToken = default)
    {
        Throw.IfNull(teacher);
        Throw.IfNull(generator);
        Throw.IfNull(queries);
        Throw.IfLessThan(negativesFrom, 1);
        Throw.IfLessThan(negatives, 0);
        string[] texts = [.. queries.Where(q => !string.IsNullOrWhiteSpace(q)).Distinct(StringComparer.Ordinal)];
        var labelled = new List<(string Query, ChunkRecord Positive, ChunkRecord[] Negatives)>();
        foreach (string query in texts)
        {
            var ranking = await teacher.RetrieveAsync(new RetrievalRequest(query) { Top = negativesFrom + Math.Max(1, negatives) }, cancellationToken).ConfigureAwait(false);
            var byKey = new Dictionary<string, ChunkRecord>(StringComparer.Ordinal);
            foreach (RetrievedChunk hit in ranking)
            {
                byKey.TryAdd(hit.Chunk.Key.ToString(), hit.Chunk);
            }

            var label = EmbeddingAdapterLabels.PseudoLabel([.. ranking.Select(h => h.Chunk.Key.ToString())], 1, negativesFrom, negatives);
            if (label.Positives.Count > 0)
            {
                labelled.Add((query, byKey[label.Positives[0]], [.. label.HardNegatives.Select(key => byKey[key])]));
            }
        }

        if (labelled.Count == 0)
        {
            return [];
        }

        var queryVectors = await EmbedAsync(generator, [.. labelled.Select(l => l.Query)], EmbeddingInputKind.Query, cancellationToken).ConfigureAwait(false);
        int dimensions = queryVectors[0].Length;

        // Chunks that came back with a vector of the base model's size keep it; the others are embedded as documents once each.
        var chunkVectors = new Dictionary<Guid, ReadOnlyMemory<float>>();
        var missing = new List<ChunkRecord>();
        foreach (ChunkRecord chunk in labelled.SelectMany(l => l.Negatives.Prepend(l.Positive)))
        {
            if (chunk.Embedding.Length == dimensions)
            {
                chunkVectors.TryAdd(chunk.Key, chunk.Embedding);
            }
            else if (!chunkVectors.ContainsKey(chunk.Key) && missing.All(m => m.Key != chunk.Key))
            {
                missing.Add(chunk);
            }
        }

        if (missing.Count > 0)
        {
            var vectors = await EmbedAsync(generator, [.. missing.Select(m => m.Text)], EmbeddingInputKind.Document, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < missing.Count; i++)
            {
                chunkVectors[missing[i].Key] = vectors[i];
            }
        }

        var examples = new List<EmbeddingAdapterExample>(labelled.Count);
        for (int i = 0; i < labelled.Count; i++)
        {
            var (query, positive, hardNegatives) = labelled[i];
            examples.Add(new EmbeddingAdapterExample(queryVectors[i], chunkVectors[positive.Key], [.. hardNegatives.Select(n => chunkVectors[n.Key])])
            {
                Group = query,
            });
        }

        return examples;
    }

    private static async Task<ReadOnlyMemory<float>[]> EmbedAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, string[] texts, EmbeddingInputKind kind, CancellationToken cancellationToken)
    {
        var embeddings = await generator.GenerateAsync(texts, new EmbeddingGenerationOptions().WithInputKind(kind), cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != texts.Length)
        {
            throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} embeddings for {texts.Length} texts.");
        }

        return [.. embeddings.Select(e => e.Vector)];
    }
}
