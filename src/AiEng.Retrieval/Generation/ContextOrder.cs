namespace AiEng.Retrieval;

/// <summary>The order of the sources in a packed context.</summary>
public enum ContextOrder
{
    /// <summary>
    /// The most relevant sources at the start and the end, the least relevant in the middle (1st, 3rd, 5th, ... 4th, 2nd):
    /// models use information at the edges of a long context best and lose what sits in the middle (Liu et al. 2023,
    /// "Lost in the Middle"). The default.
    /// </summary>
    RelevanceAtEdges,

    /// <summary>Most relevant first.</summary>
    Relevance,

    /// <summary>By document id, then by position in the document, which reads best when several chunks of a document are kept.</summary>
    Document,
}
