namespace AiEng.Retrieval;

/// <summary>Why <see cref="ContextPacker"/> left a retrieved chunk out of the context.</summary>
public enum ContextDropReason
{
    /// <summary>Its text is already in the context: the same chunk, a chunk of the same document that contains it, or an overlapping one with <see cref="ContextOverlapHandling.Drop"/>.</summary>
    Duplicate,

    /// <summary>It did not fit in the token budget beside the more relevant chunks.</summary>
    OverBudget,
}
