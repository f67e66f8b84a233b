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

    /// <summary>
    /// Gets or sets whether a chunk that carries a sentence window (<see cref="SentenceWindowChunker"/>: the metadata keys
    /// <see cref="SentenceWindowChunker.WindowKey"/>, <see cref="SentenceWindowChunker.WindowStartKey"/> and
    /// <see cref="SentenceWindowChunker.WindowEndKey"/> in <see cref="ChunkRecord.Metadata"/>) is given to the model as its
    /// window rather than its sentence: retrieve on the sentence, answer from the window. The source's offsets are then the
    /// window's, so overlapping windows of one document merge into one source. Default: <see langword="true"/>.
    /// </summary>
    public bool ExpandSentenceWindows { get; set; } = true;

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

        return new ContextPackerOptions { MaxTokens = MaxTokens, Overlap = Overlap, Order = Order, ExpandSentenceWindows = ExpandSentenceWindows };
    }
}
