using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>Options of <see cref="InMemoryVectorStore"/>.</summary>
public sealed class InMemoryVectorStoreOptions
{
    /// <summary>The largest allowed <see cref="RescoreMultiplier"/>.</summary>
    public const int MaxRescoreMultiplier = 100;

    /// <summary>
    /// Gets or sets how vectors of collections with a flat (or unspecified) index kind are compressed for search.
    /// Collections whose vector property asks for <c>IndexKind.QuantizedFlat</c> are always quantised.
    /// </summary>
    /// <value>The default is <see cref="VectorQuantization.None"/> (exact float32 scan).</value>
    public VectorQuantization Quantization { get; set; } = VectorQuantization.None;

    /// <summary>
    /// Gets or sets how many quantised candidates per requested result are re-ranked by their exact score
    /// (<c>(skip + top) * RescoreMultiplier</c> candidates). Higher raises recall and costs a little time.
    /// </summary>
    /// <value>The default is 4; allowed values are 1 to <see cref="MaxRescoreMultiplier"/>.</value>
    public int RescoreMultiplier { get; set; } = 4;

    /// <summary>
    /// Gets or sets the embedding generator that turns non-vector search input (such as a <see cref="string"/>) into a
    /// vector, when neither the collection definition nor its vector property sets one.
    /// </summary>
    /// <value>The default is <see langword="null"/>: search input must be a vector.</value>
    public IEmbeddingGenerator? EmbeddingGenerator { get; set; }

    /// <summary>
    /// Gets or sets the index kind (an MEVD <see cref="Microsoft.Extensions.VectorData.IndexKind"/> name) of collections whose
    /// vector property does not set one: <c>Flat</c>, <c>QuantizedFlat</c> or <c>Hnsw</c>. With <c>Hnsw</c>, only cosine
    /// vectors get a graph; vectors compared by other distance functions keep the flat scan.
    /// </summary>
    /// <value>The default is <see langword="null"/>: a flat scan (quantised when <see cref="Quantization"/> says so).</value>
    public string? DefaultIndexKind { get; set; }

    /// <summary>
    /// Gets or sets the parameters of the HNSW graph of collections that use <c>IndexKind.Hnsw</c> (from their vector
    /// property or <see cref="DefaultIndexKind"/>). They are copied when the store is created.
    /// </summary>
    /// <value>The default is <see langword="null"/>: <see cref="HnswOptions"/> defaults (M 16, efConstruction 200, efSearch 64).</value>
    public HnswOptions? Hnsw { get; set; }

    /// <summary>Validates the options and returns a copy the store keeps.</summary>
    internal InMemoryVectorStoreOptions ValidateAndClone()
    {
        if (!Enum.IsDefined(Quantization))
        {
            throw new ArgumentOutOfRangeException(nameof(Quantization), Quantization, "Unknown quantization; use None or Int8.");
        }

        _ = Throw.IfLessThan(RescoreMultiplier, 1);
        if (RescoreMultiplier > MaxRescoreMultiplier)
        {
            throw new ArgumentOutOfRangeException(nameof(RescoreMultiplier), RescoreMultiplier, $"The value must be at most {MaxRescoreMultiplier}.");
        }

        if (DefaultIndexKind is not (null or IndexKind.Flat or IndexKind.QuantizedFlat or IndexKind.Hnsw))
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultIndexKind), DefaultIndexKind, "Unsupported default index kind; use Flat, QuantizedFlat or Hnsw.");
        }

        return new InMemoryVectorStoreOptions
        {
            DefaultIndexKind = DefaultIndexKind,
            Hnsw = Hnsw?.Validate(),
            Quantization = Quantization,
            RescoreMultiplier = RescoreMultiplier,
            EmbeddingGenerator = EmbeddingGenerator,
        };
    }
}
