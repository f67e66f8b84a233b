using System.Numerics.Tensors;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>
/// Few-shot examples with the embeddings of their inputs, normalised and stored in one contiguous array, ready for
/// similarity selection. Embed once, share among selectors.
/// </summary>
/// <remarks>
/// Similarity is cosine similarity. Search is exact (a scan with SIMD dot products): at a few thousand to tens of thousands
/// of examples it takes well under a few milliseconds, so no approximate index is needed. Instances are immutable and thread-safe.
/// </remarks>
public sealed class EmbeddedExamples
{
    private readonly float[] _vectors;

    /// <summary>Initializes a new instance of the <see cref="EmbeddedExamples"/> class from examples and their precomputed embeddings.</summary>
    /// <param name="examples">The examples.</param>
    /// <param name="embeddings">The embedding of each example's input, in the same order; all of one dimension.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The counts differ, there are no examples, or the dimensions differ.</exception>
    public EmbeddedExamples(IReadOnlyList<PromptExample> examples, IReadOnlyList<ReadOnlyMemory<float>> embeddings)
    {
        Throw.IfNull(examples);
        Throw.IfNull(embeddings);
        if (examples.Count != embeddings.Count)
        {
            throw new ArgumentException($"There are {examples.Count} examples but {embeddings.Count} embeddings.", nameof(embeddings));
        }

        if (examples.Count == 0)
        {
            throw new ArgumentException("At least one example is needed.", nameof(examples));
        }

        Examples = [.. examples];
        Dimensions = embeddings[0].Length;
        _vectors = new float[Examples.Count * Dimensions];
        for (int i = 0; i < embeddings.Count; i++)
        {
            if (embeddings[i].Length != Dimensions)
            {
                throw new ArgumentException($"Embedding {i} has {embeddings[i].Length} dimensions; the first has {Dimensions}.", nameof(embeddings));
            }

            Normalize(embeddings[i].Span, _vectors.AsSpan(i * Dimensions, Dimensions));
        }
    }

    /// <summary>Gets the examples.</summary>
    public IReadOnlyList<PromptExample> Examples { get; }

    /// <summary>Gets the dimensions of the embeddings.</summary>
    public int Dimensions { get; }

    /// <summary>Embeds the inputs of examples with <paramref name="generator"/>.</summary>
    /// <param name="generator">The embedding generator (the same one selectors will embed queries with).</param>
    /// <param name="examples">The examples.</param>
    /// <param name="cancellationToken">A token that cancels embedding.</param>
    /// <returns>The embedded examples.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are no examples or the generator returned the wrong number of embeddings.</exception>
    public static async Task<EmbeddedExamples> CreateAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, IEnumerable<PromptExample> examples, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(generator);
        Throw.IfNull(examples);
        PromptExample[] list = [.. examples];
        GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync(list.Select(e => e.Input), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new EmbeddedExamples(list, [.. embeddings.Select(e => e.Vector)]);
    }

    internal static async Task<ReadOnlyMemory<float>> EmbedInputAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, string input, CancellationToken cancellationToken)
    {
        Throw.IfNull(input);
        Embedding<float> embedding = await generator.GenerateAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
        return embedding.Vector;
    }

    internal ReadOnlySpan<float> Vector(int index) => _vectors.AsSpan(index * Dimensions, Dimensions);

    internal float[] NormalizedQuery(ReadOnlySpan<float> query)
    {
        if (query.Length != Dimensions)
        {
            throw new InvalidOperationException($"The query embedding has {query.Length} dimensions but the examples have {Dimensions}: embed both with the same generator.");
        }

        var normalized = new float[Dimensions];
        Normalize(query, normalized);
        return normalized;
    }

    /// <summary>Returns the indexes of the <paramref name="count"/> examples most similar to a normalised query, best first, with their similarities.</summary>
    internal (int Index, float Similarity)[] Top(ReadOnlySpan<float> query, int count)
    {
        count = Math.Min(count, Examples.Count);
        var best = new (int Index, float Similarity)[count];
        int filled = 0;
        for (int i = 0; i < Examples.Count; i++)
        {
            float similarity = TensorPrimitives.Dot(query, Vector(i));
            if (filled == count && similarity <= best[filled - 1].Similarity)
            {
                continue;
            }

            // Insertion into the small sorted array of the best so far (count is a handful).
            int position = filled == count ? count - 1 : filled++;
            while (position > 0 && best[position - 1].Similarity < similarity)
            {
                best[position] = best[position - 1];
                position--;
            }

            best[position] = (i, similarity);
        }

        return best;
    }

    private static void Normalize(ReadOnlySpan<float> source, Span<float> destination)
    {
        float norm = TensorPrimitives.Norm(source);
        if (norm == 0 || !float.IsFinite(norm))
        {
            source.CopyTo(destination);
            return;
        }

        TensorPrimitives.Divide(source, norm, destination);
    }
}
