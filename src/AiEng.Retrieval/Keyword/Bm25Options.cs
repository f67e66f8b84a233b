namespace AiEng.Retrieval;

/// <summary>
/// Parameters of BM25 ranking (<see cref="KeywordRetrieverOptions.Bm25"/>). The defaults are Anserini's BM25 defaults
/// (k1 = 0.9, b = 0.4), chosen on principle rather than tuned to a collection: they are the parameters of the
/// published Lucene baselines for BEIR and MS MARCO, which this implementation is meant to reproduce.
/// </summary>
/// <remarks>The retriever copies the options; changing them afterwards has no effect on it.</remarks>
public sealed class Bm25Options
{
    /// <summary>The default <see cref="K1"/>: 0.9, Anserini's default.</summary>
    public const float DefaultK1 = 0.9f;

    /// <summary>The default <see cref="B"/>: 0.4, Anserini's default.</summary>
    public const float DefaultB = 0.4f;

    /// <summary>
    /// Gets or sets k1, the term-frequency saturation: 0 ignores how often a term occurs, larger values let repeated
    /// occurrences count for more. Default: <see cref="DefaultK1"/> (0.9). Must be zero or positive and finite.
    /// </summary>
    public float K1 { get; set; } = DefaultK1;

    /// <summary>
    /// Gets or sets b, the document-length normalisation: 0 ignores length, 1 divides term frequency fully by the
    /// document's length relative to the average length. Default: <see cref="DefaultB"/> (0.4). Range 0 to 1.
    /// </summary>
    public float B { get; set; } = DefaultB;

    /// <summary>
    /// Gets or sets a value indicating whether document lengths are stored the way Lucene 4 stores them (and so Anserini's
    /// published BM25 baselines and Lucene.Net 4.8): as one byte holding <c>1 / sqrt(length)</c> in a 3-bit-mantissa float, so
    /// that lengths are rounded to a coarse scale (1, 2.56, 4, 5.22, 7.11, 10.24, 16, ...). With it the index ranks exactly as Lucene does;
    /// without it lengths are exact. Default: <see langword="true"/>, because reproducing the reference implementation's
    /// scores is what lets BM25 results be compared with the literature.
    /// </summary>
    public bool LuceneLengthEncoding { get; set; } = true;

    /// <summary>Checks the values and returns a copy.</summary>
    internal Bm25Options Validate()
    {
        if (!float.IsFinite(K1) || K1 < 0)
        {
            throw new ArgumentException($"{nameof(Bm25Options)}.{nameof(K1)} is {K1} but must be zero or positive and finite, for example {DefaultK1}.", "options");
        }

        if (!(B >= 0 && B <= 1))
        {
            throw new ArgumentException($"{nameof(Bm25Options)}.{nameof(B)} is {B} but must be between 0 and 1, for example {DefaultB}.", "options");
        }

        return new Bm25Options { K1 = K1, B = B, LuceneLengthEncoding = LuceneLengthEncoding };
    }
}
