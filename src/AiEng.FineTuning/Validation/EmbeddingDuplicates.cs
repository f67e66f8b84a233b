using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>Finds texts whose embeddings are at least a cosine similarity apart from an earlier text.</summary>
internal static class EmbeddingDuplicates
{
    /// <summary>For each text, the index of the most similar earlier text at or above <paramref name="threshold"/>, with the similarity, or -1.</summary>
    public static async Task<(int Match, double Similarity)[]> FindAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts, double threshold, CancellationToken cancellationToken)
    {
        var result = new (int, double)[texts.Count];
        if (texts.Count == 0)
        {
            return result;
        }

        GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != texts.Count)
        {
            throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} embeddings for {texts.Count} texts.");
        }

        for (int i = 0; i < texts.Count; i++)
        {
            result[i] = (-1, 0);
            ReadOnlySpan<float> vector = embeddings[i].Vector.Span;
            for (int j = 0; j < i; j++)
            {
                double similarity = TensorPrimitives.CosineSimilarity(vector, embeddings[j].Vector.Span);
                if (similarity >= threshold && similarity > result[i].Item2)
                {
                    result[i] = (j, similarity);
                }
            }
        }

        return result;
    }
}
