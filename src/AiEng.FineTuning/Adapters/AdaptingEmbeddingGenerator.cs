using AiEng.Inference;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>
/// Applies an <see cref="EmbeddingAdapter"/> to the embeddings of calls marked as queries
/// (<see cref="EmbeddingInputKind.Query"/>); calls marked as documents, or not marked, pass through unchanged, so a corpus
/// indexed with the base model stays valid.
/// </summary>
internal sealed class AdaptingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingAdapter _adapter;

    /// <summary>Initializes a new instance of the <see cref="AdaptingEmbeddingGenerator"/> class.</summary>
    /// <param name="innerGenerator">The base model's generator.</param>
    /// <param name="adapter">The adapter, already checked against the inner generator's model.</param>
    public AdaptingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, EmbeddingAdapter adapter)
        : base(innerGenerator)
    {
        _adapter = adapter;
    }

    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        GeneratedEmbeddings<Embedding<float>> embeddings = await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        if (options.GetInputKind() != EmbeddingInputKind.Query)
        {
            return embeddings;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var adapted = new GeneratedEmbeddings<Embedding<float>>(embeddings.Count)
        {
            Usage = embeddings.Usage,
            AdditionalProperties = embeddings.AdditionalProperties,
        };
        for (int i = 0; i < embeddings.Count; i++)
        {
            Embedding<float> embedding = embeddings[i];
            if (embedding.Vector.Length != _adapter.Dimensions)
            {
                throw new InvalidOperationException(
                    $"Embedding {i} of the call has {embedding.Vector.Length} dimensions, but the adapter for '{_adapter.BaseModelId}' takes {_adapter.Dimensions}; " +
                    "the call asked for another dimension count (EmbeddingGenerationOptions.Dimensions) than the adapter was trained on.");
            }

            adapted.Add(new Embedding<float>(_adapter.Transform(embedding.Vector.Span))
            {
                ModelId = embedding.ModelId,
                CreatedAt = embedding.CreatedAt,
                AdditionalProperties = embedding.AdditionalProperties,
            });
        }

        return adapted;
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(_adapter) ? _adapter : base.GetService(serviceType, serviceKey);
    }
}
