using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>Selects the <c>k</c> examples whose inputs are most similar to the input (cosine similarity of embeddings), most similar first.</summary>
public sealed class SemanticExampleSelector : IExampleSelector
{
    private readonly EmbeddedExamples _examples;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly int _count;

    /// <summary>Initializes a new instance of the <see cref="SemanticExampleSelector"/> class.</summary>
    /// <param name="examples">The embedded examples.</param>
    /// <param name="generator">The generator that embeds inputs; the one that embedded <paramref name="examples"/>.</param>
    /// <param name="count">How many examples to select (<c>k</c>). Default 3.</param>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> or <paramref name="generator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public SemanticExampleSelector(EmbeddedExamples examples, IEmbeddingGenerator<string, Embedding<float>> generator, int count = 3)
    {
        _examples = Throw.IfNull(examples);
        _generator = Throw.IfNull(generator);
        _count = Throw.IfLessThan(count, 1);
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
    /// <returns>The most similar examples, most similar first.</returns>
    /// <exception cref="InvalidOperationException">The embedding has other dimensions than the examples.</exception>
    public IReadOnlyList<PromptExample> Select(ReadOnlySpan<float> inputEmbedding)
    {
        float[] query = _examples.NormalizedQuery(inputEmbedding);
        return [.. _examples.Top(query, _count).Select(hit => _examples.Examples[hit.Index])];
    }
}
