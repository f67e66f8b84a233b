namespace AiEng.Retrieval;

/// <summary>Options of <see cref="HybridRetriever"/>.</summary>
/// <remarks>
/// <para>The retriever copies the options; changing them afterwards has no effect on it.</para>
/// <para>
/// The defaults (min-max normalised scores with equal weights, 200 candidates per retriever) were chosen on the train
/// queries of BEIR SciFact through the shipped pipeline (<c>beir --pipeline --tune-on train</c>, see docs/retrieval.md):
/// they reached a train nDCG@10 of 0.7388, against 0.7180 for reciprocal-rank fusion (k 60) at its best depth.
/// </para>
/// </remarks>
public sealed class HybridRetrieverOptions
{
    /// <summary>The default <see cref="CandidateDepth"/>: 200.</summary>
    public const int DefaultCandidateDepth = 200;

    /// <summary>
    /// Gets or sets how rankings are merged. Default: <see cref="FusionMethod.NormalizedScore"/>, which kept more of both
    /// retrievers' evidence than reciprocal-rank fusion in the measurements on SciFact's train split.
    /// </summary>
    public FusionMethod Fusion { get; set; } = FusionMethod.NormalizedScore;

    /// <summary>Gets or sets the rank offset k of reciprocal-rank fusion. Default: 60. At least 1.</summary>
    public int RrfK { get; set; } = ReciprocalRankFusion.DefaultK;

    /// <summary>
    /// Gets or sets the weight of each retriever's list for <see cref="FusionMethod.NormalizedScore"/>, in the order of the
    /// retrievers; each zero or positive. Default: <see langword="null"/>, equal weights. Ignored by reciprocal-rank fusion.
    /// </summary>
    public IList<double>? Weights { get; set; }

    /// <summary>
    /// Gets or sets how many chunks each retriever returns before fusion (at least the number asked for). Deeper lists let
    /// a chunk that one retriever ranks low still win through the other, and let score normalisation see each retriever's
    /// score range. Default: <see cref="DefaultCandidateDepth"/>. At least 1.
    /// </summary>
    public int CandidateDepth { get; set; } = DefaultCandidateDepth;

    /// <summary>Checks the values against <paramref name="retrieverCount"/> retrievers and returns a copy.</summary>
    internal HybridRetrieverOptions Validate(int retrieverCount)
    {
        const string Name = nameof(HybridRetrieverOptions);
        if (!Enum.IsDefined(Fusion))
        {
            throw new ArgumentException($"{Name}.{nameof(Fusion)} is {Fusion}, which is not a {nameof(FusionMethod)}.", "options");
        }

        if (RrfK < 1)
        {
            throw new ArgumentException($"{Name}.{nameof(RrfK)} is {RrfK} but must be at least 1, for example {ReciprocalRankFusion.DefaultK}.", "options");
        }

        if (CandidateDepth < 1)
        {
            throw new ArgumentException($"{Name}.{nameof(CandidateDepth)} is {CandidateDepth} but must be at least 1, for example {DefaultCandidateDepth}.", "options");
        }

        if (Weights is { } weights)
        {
            if (weights.Count != retrieverCount)
            {
                throw new ArgumentException($"{Name}.{nameof(Weights)} has {weights.Count} weights but there are {retrieverCount} retrievers; give one weight per retriever.", "options");
            }

            if (weights.Any(static w => !double.IsFinite(w) || w < 0))
            {
                throw new ArgumentException($"{Name}.{nameof(Weights)} is [{string.Join(", ", weights)}]; every weight must be zero or positive and finite.", "options");
            }
        }

        return new HybridRetrieverOptions { Fusion = Fusion, RrfK = RrfK, Weights = Weights?.ToArray(), CandidateDepth = CandidateDepth };
    }
}
