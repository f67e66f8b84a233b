using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>Chooses the <see cref="IVectorIndex"/> for a collection from its vector property's index kind and the store options.</summary>
internal static class VectorIndexFactory
{
    /// <summary>Throws when the vector property asks for an index kind the in-memory store does not support.</summary>
    /// <exception cref="NotSupportedException">
    /// The index kind is not supported, or is <c>Hnsw</c> with a distance function other than cosine; the message names
    /// the type and property.
    /// </exception>
    public static void Validate(RecordModel model, VectorMetric metric)
    {
        if (model.Vector.IndexKind is not (null or IndexKind.Flat or IndexKind.Dynamic or IndexKind.QuantizedFlat or IndexKind.Hnsw))
        {
            throw Unsupported(model);
        }

        if (model.Vector.IndexKind == IndexKind.Hnsw && !VectorMetrics.IsCosine(metric))
        {
            throw new NotSupportedException(
                $"Record type '{model.RecordType.Name}': vector property '{model.Vector.Name}' asks for index kind 'Hnsw' with distance function '{metric}', but the "
                + "in-memory HNSW graph compares cosine similarity only: use CosineSimilarity or CosineDistance, or a Flat index for other distance functions.");
        }
    }

    /// <summary>Creates the index of a collection.</summary>
    /// <param name="model">The record model (its vector property's <c>IndexKind</c> decides).</param>
    /// <param name="metric">The distance metric.</param>
    /// <param name="matrix">The collection's float matrix.</param>
    /// <param name="options">The validated store options (quantisation, rescoring, HNSW parameters, default index kind).</param>
    /// <returns>The index.</returns>
    /// <exception cref="NotSupportedException">The index kind is not supported; the message names the type and property.</exception>
    public static IVectorIndex Create(RecordModel model, VectorMetric metric, VectorMatrix matrix, InMemoryVectorStoreOptions options)
    {
        string? kind = model.Vector.IndexKind;
        if (kind is null && options.DefaultIndexKind is { } fallback)
        {
            // The store-wide default applies HNSW to cosine vectors only; other distance functions keep a flat scan.
            kind = fallback == IndexKind.Hnsw && !VectorMetrics.IsCosine(metric) ? null : fallback;
        }

        switch (kind)
        {
            case null or IndexKind.Flat or IndexKind.Dynamic:
                return options.Quantization == VectorQuantization.Int8
                    ? new Int8VectorIndex(matrix, metric, options.RescoreMultiplier)
                    : new ExactVectorIndex(matrix, metric);
            case IndexKind.QuantizedFlat:
                return new Int8VectorIndex(matrix, metric, options.RescoreMultiplier);
            case IndexKind.Hnsw:
                return new HnswVectorIndex(matrix, metric, options.Hnsw ?? new HnswOptions());
            default:
                throw Unsupported(model);
        }
    }

    private static NotSupportedException Unsupported(RecordModel model) => new(
        $"Record type '{model.RecordType.Name}': vector property '{model.Vector.Name}' asks for index kind '{model.Vector.IndexKind}', which the in-memory store does not support "
        + "(use Flat, QuantizedFlat or Hnsw).");
}
