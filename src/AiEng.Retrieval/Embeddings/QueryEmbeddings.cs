using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>
/// A query embedded and checked before it is searched with: an embedding holding NaN or an infinity is a failing model's
/// output that no similarity can use (see <see cref="FiniteVectors"/>).
/// </summary>
internal static class QueryEmbeddings
{
    /// <summary>
    /// Embeds a search query with <paramref name="generator"/> (input kind <see cref="EmbeddingInputKind.Query"/>) and
    /// checks the result.
    /// </summary>
    /// <exception cref="InvalidOperationException">The embedding holds NaN or an infinity.</exception>
    public static async Task<ReadOnlyMemory<float>> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string query, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<float> vector = await generator.GenerateVectorAsync(query, new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Query), cancellationToken).ConfigureAwait(false);
        if (FiniteVectors.DescribeNonFinite(vector.Span) is { } problem)
        {
            string model = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId is { } id ? $" ('{id}')" : string.Empty;
            throw new InvalidOperationException(
                $"The embedding generator{model} returned a query embedding {problem}; an embedding must hold finite numbers, so nothing can be searched with it. The model is failing: check it, or try again.");
        }

        return vector;
    }
}
