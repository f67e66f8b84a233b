using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>Options of <see cref="MultiQueryRetriever"/>.</summary>
/// <remarks>The retriever copies the options; changing them afterwards has no effect on it.</remarks>
public sealed class MultiQueryRetrieverOptions
{
    /// <summary>The default <see cref="QueryCount"/>: 3.</summary>
    public const int DefaultQueryCount = 3;

    /// <summary>Gets or sets how many rephrasings to ask the model for (the original query is always searched too). Default: <see cref="DefaultQueryCount"/>. 1 to 10.</summary>
    public int QueryCount { get; set; } = DefaultQueryCount;

    /// <summary>Gets or sets the rank offset k of the reciprocal-rank fusion of the lists. Default: 60. At least 1.</summary>
    public int RrfK { get; set; } = ReciprocalRankFusion.DefaultK;

    /// <summary>Gets or sets the chat options of the rephrasing call, cloned for every call. Default: <see langword="null"/>, the client's defaults.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>Checks the values and returns a copy.</summary>
    internal MultiQueryRetrieverOptions Validate()
    {
        const string Name = nameof(MultiQueryRetrieverOptions);
        if (QueryCount is < 1 or > 10)
        {
            throw new ArgumentException($"{Name}.{nameof(QueryCount)} is {QueryCount} but must be between 1 and 10, for example {DefaultQueryCount}.", "options");
        }

        if (RrfK < 1)
        {
            throw new ArgumentException($"{Name}.{nameof(RrfK)} is {RrfK} but must be at least 1, for example {ReciprocalRankFusion.DefaultK}.", "options");
        }

        return new MultiQueryRetrieverOptions { QueryCount = QueryCount, RrfK = RrfK, ChatOptions = ChatOptions?.Clone() };
    }
}
