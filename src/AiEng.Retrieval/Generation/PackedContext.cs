namespace AiEng.Retrieval;

/// <summary>The result of <see cref="ContextPacker.Pack"/>: the context text with numbered sources, and what each number cites.</summary>
public sealed class PackedContext
{
    /// <summary>Initializes a new instance of the <see cref="PackedContext"/> class.</summary>
    /// <param name="text">The context: one block per source, each starting with its marker <c>[n]</c>, separated by blank lines.</param>
    /// <param name="citations">The sources in the order of the text, numbered from 1.</param>
    /// <param name="tokenCount">The tokens of <paramref name="text"/>.</param>
    /// <param name="dropped">The chunks left out.</param>
    internal PackedContext(string text, IReadOnlyList<Citation> citations, int tokenCount, IReadOnlyList<DroppedChunk> dropped)
    {
        Text = text;
        Citations = citations;
        TokenCount = tokenCount;
        Dropped = dropped;
    }

    /// <summary>Gets the context: one block per source, each starting with its marker <c>[n]</c>, separated by blank lines; empty when nothing was packed.</summary>
    public string Text { get; }

    /// <summary>Gets the sources in the order of <see cref="Text"/>, numbered from 1.</summary>
    public IReadOnlyList<Citation> Citations { get; }

    /// <summary>Gets the number of tokens of <see cref="Text"/>, by the packer's token counter.</summary>
    public int TokenCount { get; }

    /// <summary>Gets the retrieved chunks left out of the context, in retrieval order.</summary>
    public IReadOnlyList<DroppedChunk> Dropped { get; }
}
