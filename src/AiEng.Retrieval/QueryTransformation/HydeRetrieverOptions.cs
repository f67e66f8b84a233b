using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>Options of <see cref="HydeRetriever"/>.</summary>
/// <remarks>The retriever copies the options; changing them afterwards has no effect on it.</remarks>
public sealed class HydeRetrieverOptions
{
    /// <summary>
    /// Gets or sets whether the original query is searched too and fused (reciprocal-rank) with the search for the
    /// hypothetical passage. Default: <see langword="true"/>, which protects against a hypothetical answer that goes astray.
    /// </summary>
    public bool IncludeOriginalQuery { get; set; } = true;

    /// <summary>Gets or sets the rank offset k of the fusion. Default: 60. At least 1.</summary>
    public int RrfK { get; set; } = ReciprocalRankFusion.DefaultK;

    /// <summary>Gets or sets the chat options of the call that writes the passage, cloned for every call. Default: <see langword="null"/>, the client's defaults.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>Checks the values and returns a copy.</summary>
    internal HydeRetrieverOptions Validate()
    {
        if (RrfK < 1)
        {
            throw new ArgumentException($"{nameof(HydeRetrieverOptions)}.{nameof(RrfK)} is {RrfK} but must be at least 1, for example {ReciprocalRankFusion.DefaultK}.", "options");
        }

        return new HydeRetrieverOptions { IncludeOriginalQuery = IncludeOriginalQuery, RrfK = RrfK, ChatOptions = ChatOptions?.Clone() };
    }
}
