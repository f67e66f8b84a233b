using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>Chooses the <see cref="IVectorIndex"/> for a collection from its vector property's index kind and the store options.</summary>
internal static class VectorIndexFactory
{
    /// <summary>Throws when the vector property asks for an index kind the in-memory store does not support.</summary>
    /// <exception cref="NotSupportedException">The index kind is not supported; the message names the type and property.</exception>
    public static void Validate(RecordModel model)
    {
        if (model.Vector.IndexKind is not (null or IndexKind.Flat or IndexKind.Dynamic or IndexKind.QuantizedFlat or IndexKind.Hnsw))
        {
            throw Unsupported(model);
        }
    }

    /// <summary>Creates the index of a collection.</summary>
    /// <param name="model">The record model (its vector property's <c>IndexKind</c> decides).</param>
    /// <param name="metric">The distance metric.</param>
    /// <param name="matrix">The collection's float matrix.</param>
    /// <param name="quantization">The store's quantisation setting for flat indexes.</param>
    /// <param name="rescoreMultiplier">The candidates rescored per result for quantised search.</param>
    /// <returns>The index.</returns>
    /// <exception cref="NotSupportedException">The index kind is not supported; the message names the type and property.</exception>
    public static IVectorIndex Create(RecordModel model, VectorMetric metric, VectorMatrix matrix, VectorQuantization quantization, int rescoreMultiplier)
    {
        switch (model.Vector.IndexKind)
        {
            case null or IndexKind.Flat or IndexKind.Dynamic:
                return quantization == VectorQuantization.Int8
                    ? new Int8VectorIndex(matrix, metric, rescoreMultiplier)
                    : new ExactVectorIndex(matrix, metric);
            case IndexKind.QuantizedFlat:
                return new Int8VectorIndex(matrix, metric, rescoreMultiplier);
            case IndexKind.Hnsw:
                // Seam for the approximate index: an HNSW IVectorIndex goes here. Until it exists, an exact scan answers
                // HNSW collections (same results, linear time).
                return new ExactVectorIndex(matrix, metric);
            default:
                throw Unsupported(model);
        }
    }

    private static NotSupportedException Unsupported(RecordModel model) => new(
        $"Record type '{model.RecordType.Name}': vector property '{model.Vector.Name}' asks for index kind '{model.Vector.IndexKind}', which the in-memory store does not support "
        + "(use Flat, QuantizedFlat or Hnsw).");
}
