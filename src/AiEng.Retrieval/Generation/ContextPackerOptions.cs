namespace AiEng.Retrieval;

/// <summary>Options of <see cref="ContextPacker"/>.</summary>
/// <remarks>The packer copies the options; changing them afterwards has no effect on it.</remarks>
public sealed class ContextPackerOptions
{
    /// <summary>The default <see cref="MaxTokens"/>: 2,000.</summary>
    public const int DefaultMaxTokens = 2_000;

    /// <summary>Gets or sets the token budget of the context text. Default: <see cref="DefaultMaxTokens"/>. At least 1.</summary>
    public int MaxTokens { get; set; } = DefaultMaxTokens;

    /// <summary>Gets or sets what happens to a chunk that overlaps a more relevant one of the same document. Default: <see cref="ContextOverlapHandling.Merge"/>.</summary>
    public ContextOverlapHandling Overlap { get; set; } = ContextOverlapHandling.Merge;

    /// <summary>Gets or sets the order of the sources. Default: <see cref="ContextOrder.RelevanceAtEdges"/>.</summary>
    public ContextOrder Order { get; set; } = ContextOrder.RelevanceAtEdges;

    /// <summary>Checks the values and returns a copy.</summary>
    /// <param name="parameterName">The name of the argument the options came in.</param>
    internal ContextPackerOptions Validate(string parameterName = "options")
    {
        const string Name = nameof(ContextPackerOptions);
        if (MaxTokens < 1)
        {
            throw new ArgumentException($"{Name}.{nameof(MaxTokens)} is {MaxTokens} but must be at least 1, for example {DefaultMaxTokens}.", parameterName);
        }

        if (!Enum.IsDefined(Overlap))
        {
            throw new ArgumentException($"{Name}.{nameof(Overlap)} is {Overlap}, which is not a {nameof(ContextOverlapHandling)}.", parameterName);
        }

        if (!Enum.IsDefined(Order))
        {
            throw new ArgumentException($"{Name}.{nameof(Order)} is {Order}, which is not a {nameof(ContextOrder)}.", parameterName);
        }

        return new ContextPackerOptions { MaxTokens = MaxTokens, Overlap = Overlap, Order = Order };
    }
}
