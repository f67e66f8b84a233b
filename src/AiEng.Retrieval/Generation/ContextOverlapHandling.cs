namespace AiEng.Retrieval;

/// <summary>What <see cref="ContextPacker"/> does with a chunk that overlaps a more relevant chunk of the same document.</summary>
public enum ContextOverlapHandling
{
    /// <summary>Merge the two into one source covering both ranges, so no text is repeated and none is lost. The default.</summary>
    Merge,

    /// <summary>Leave the less relevant chunk out.</summary>
    Drop,
}
