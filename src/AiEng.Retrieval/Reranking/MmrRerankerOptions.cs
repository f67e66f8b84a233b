namespace AiEng.Retrieval;

/// <summary>Options of <see cref="MmrReranker"/>.</summary>
/// <remarks>The reranker copies the options; changing them afterwards has no effect on it.</remarks>
public sealed class MmrRerankerOptions
{
    /// <summary>
    /// Gets or sets the weight of relevance against diversity, 0 to 1: 1 keeps the order of similarity to the query, 0 only
    /// spreads the results out. Default: 0.5.
    /// </summary>
    public double Lambda { get; set; } = Mmr.DefaultLambda;

    /// <summary>Checks the values and returns a copy.</summary>
    internal MmrRerankerOptions Validate()
    {
        if (!(Lambda >= 0 && Lambda <= 1))
        {
            throw new ArgumentException($"{nameof(MmrRerankerOptions)}.{nameof(Lambda)} is {Lambda} but must be between 0 and 1, for example {Mmr.DefaultLambda}.", "options");
        }

        return new MmrRerankerOptions { Lambda = Lambda };
    }
}
