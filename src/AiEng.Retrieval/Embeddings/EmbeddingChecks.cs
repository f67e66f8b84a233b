using System.Globalization;
using AiEng.Inference;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>
/// Checks on what an embedding model returned, before it is stored or searched with: an embedding holding NaN or an
/// infinity is a failing model's output that no similarity can use (every score against it is NaN).
/// </summary>
internal static class EmbeddingChecks
{
    /// <summary>Returns the position of the first value that is NaN or an infinity, or -1 when every value is finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> vector)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Describes the first value of <paramref name="vector"/> that is not finite, as "holding NaN (at position 3 of 384)", or returns <see langword="null"/>.</summary>
    public static string? DescribeNonFinite(ReadOnlySpan<float> vector)
    {
        int position = IndexOfNonFinite(vector);
        return position < 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"holding {vector[position]} (at position {position} of {vector.Length})");
    }

    /// <summary>
    /// Embeds a search query with <paramref name="generator"/> (input kind <see cref="EmbeddingInputKind.Query"/>) and
    /// checks the result.
    /// </summary>
    /// <exception cref="InvalidOperationException">The embedding holds NaN or an infinity.</exception>
    public static async Task<ReadOnlyMemory<float>> EmbedQueryAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string query, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<float> vector = await generator.GenerateVectorAsync(query, new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Query), cancellationToken).ConfigureAwait(false);
        if (DescribeNonFinite(vector.Span) is { } problem)
        {
            string model = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId is { } id ? $" ('{id}')" : string.Empty;
            throw new InvalidOperationException(
                $"The embedding generator{model} returned a query embedding {problem}; an embedding must hold finite numbers, so nothing can be searched with it. The model is failing: check it, or try again.");
        }

        return vector;
    }
}
