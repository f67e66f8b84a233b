namespace AiEng.Retrieval;

/// <summary>Which <see cref="IRetriever"/> <c>AddRetrieval</c> registers (<see cref="RetrievalServiceOptions.Retriever"/>).</summary>
public enum RetrieverKind
{
    /// <summary>
    /// Hybrid retrieval: a <see cref="HybridRetriever"/> fusing <see cref="Keyword"/> and <see cref="Dense"/> by reciprocal
    /// rank. The default: it beats both alone on BEIR SciFact (see docs/retrieval.md).
    /// </summary>
    Hybrid,

    /// <summary>Dense retrieval: a <see cref="VectorStoreRetriever"/> that embeds the query and searches the collection.</summary>
    Dense,

    /// <summary>Keyword retrieval: a <see cref="KeywordRetriever"/> (BM25) over the records of the collection, kept in memory.</summary>
    Keyword,
}
