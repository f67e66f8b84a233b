using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>
/// One training example for an <see cref="EmbeddingAdapter"/>: the base model's vector of a query, the vector of a passage
/// relevant to it, and the vectors of passages that look relevant but are not (hard negatives).
/// </summary>
/// <remarks>
/// Vectors are the base model's: queries embedded as queries, passages as documents. During training every other example's
/// positive in the same mini-batch also serves as a negative (in-batch negatives), except those of examples with the same
/// <see cref="Group"/>. Find hard negatives with <see cref="EmbeddingAdapterLabels.MineHardNegatives"/> and build examples
/// without judgments with <see cref="EmbeddingAdapterLabels.PseudoLabel"/>.
/// </remarks>
public sealed class EmbeddingAdapterExample
{
    /// <summary>Initializes a new instance of the <see cref="EmbeddingAdapterExample"/> class.</summary>
    /// <param name="query">The base model's vector of the query.</param>
    /// <param name="positive">The base model's vector of a relevant passage.</param>
    /// <param name="hardNegatives">Vectors of passages that are not relevant but rank high; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException"><paramref name="query"/> or <paramref name="positive"/> is empty.</exception>
    public EmbeddingAdapterExample(ReadOnlyMemory<float> query, ReadOnlyMemory<float> positive, IReadOnlyList<ReadOnlyMemory<float>>? hardNegatives = null)
    {
        if (query.IsEmpty || positive.IsEmpty)
        {
            throw new ArgumentException("The query and positive vectors must not be empty.", query.IsEmpty ? nameof(query) : nameof(positive));
        }

        Query = query;
        Positive = positive;
        HardNegatives = hardNegatives ?? [];
    }

    /// <summary>Gets the base model's vector of the query.</summary>
    public ReadOnlyMemory<float> Query { get; }

    /// <summary>Gets the base model's vector of a relevant passage.</summary>
    public ReadOnlyMemory<float> Positive { get; }

    /// <summary>Gets the vectors of passages that rank high for the query but are not relevant.</summary>
    public IReadOnlyList<ReadOnlyMemory<float>> HardNegatives { get; }

    /// <summary>
    /// Gets the example's group, usually the query's id: examples of one group (one query with several relevant passages)
    /// stay together on one side of the validation split and are never each other's in-batch negatives.
    /// <see langword="null"/> (default) puts the example in a group of its own.
    /// </summary>
    public string? Group { get; init; }

    /// <summary>Gets the weight of the example's loss; default 1 (for pseudo-labels, a teacher's confidence).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, zero, or not finite.</exception>
    public float Weight
    {
        get;
        init => field = value > 0 && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The weight must be a positive finite number.");
    } = 1;
}
