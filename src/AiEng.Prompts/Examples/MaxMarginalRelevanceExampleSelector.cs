using System.Numerics.Tensors;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>
/// Selects examples that are relevant to the input but diverse among themselves, by maximal marginal relevance (MMR):
/// from the most similar candidates it repeatedly takes the one maximising
/// <c>lambda * sim(input, e) - (1 - lambda) * max sim(e, selected)</c>.
/// </summary>
public sealed class MaxMarginalRelevanceExampleSelector : IExampleSelector
{
    private readonly EmbeddedExamples _examples;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly int _count;
    private readonly int _candidates;
    private readonly double _lambda;

    /// <summary>Initializes a new instance of the <see cref="MaxMarginalRelevanceExampleSelector"/> class.</summary>
    /// <param name="examples">The embedded examples.</param>
    /// <param name="generator">The generator that embeds inputs; the one that embedded <paramref name="examples"/>.</param>
    /// <param name="count">How many examples to select. Default 3.</param>
    /// <param name="candidates">How many of the most similar examples to choose from. Default 20 (at least <paramref name="count"/>).</param>
    /// <param name="lambda">Relevance weight in [0, 1]: 1 is pure similarity, 0 pure diversity. Default 0.5.</param>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> or <paramref name="generator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="candidates"/> is below 1, or <paramref name="lambda"/> is outside [0, 1].</exception>
    public MaxMarginalRelevanceExampleSelector(
        EmbeddedExamples examples, IEmbeddingGenerator<string, Embedding<float>> generator, int count = 3, int candidates = 20, double lambda = 0.5)
    {
        _examples = Throw.IfNull(examples);
        _generator = Throw.IfNull(generator);
        _count = Throw.IfLessThan(count, 1);
        _candidates = Math.Max(Throw.IfLessThan(candidates, 1), count);
        if (lambda is < 0 or > 1 || double.IsNaN(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "Lambda must be between 0 and 1.");
        }

        _lambda = lambda;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The input embedding has other dimensions than the examples.</exception>
    public async ValueTask<IReadOnlyList<PromptExample>> SelectAsync(string input, CancellationToken cancellationToken = default)
    {
        ReadOnlyMemory<float> embedding = await EmbeddedExamples.EmbedInputAsync(_generator, input, cancellationToken).ConfigureAwait(false);
        return Select(embedding.Span);
    }

    /// <summary>Selects examples for an input that is already embedded.</summary>
    /// <param name="inputEmbedding">The embedding of the input.</param>
    /// <returns>The selected examples, in selection order.</returns>
    /// <exception cref="InvalidOperationException">The embedding has other dimensions than the examples.</exception>
    public IReadOnlyList<PromptExample> Select(ReadOnlySpan<float> inputEmbedding)
    {
        float[] query = _examples.NormalizedQuery(inputEmbedding);
        List<(int Index, float Similarity)> pool = [.. _examples.Top(query, _candidates)];
        var selected = new List<int>(_count);
        while (selected.Count < _count && pool.Count > 0)
        {
            int bestAt = 0;
            double bestScore = double.NegativeInfinity;
            for (int p = 0; p < pool.Count; p++)
            {
                double redundancy = 0;
                foreach (int chosen in selected)
                {
                    redundancy = Math.Max(redundancy, TensorPrimitives.Dot(_examples.Vector(pool[p].Index), _examples.Vector(chosen)));
                }

                double score = (_lambda * pool[p].Similarity) - ((1 - _lambda) * redundancy);
                if (score > bestScore)
                {
                    bestScore = score;
                    bestAt = p;
                }
            }

            selected.Add(pool[bestAt].Index);
            pool.RemoveAt(bestAt);
        }

        return [.. selected.Select(i => _examples.Examples[i])];
    }
}
