namespace AiEng.Inference;

/// <summary>
/// What a text given to an embedding generator is in a search: a query searched with, or a document (a chunk, a passage)
/// searched for. Asymmetric embedding models embed the two differently (e5's <c>query: </c> and <c>passage: </c> prefixes,
/// bge's query instruction); symmetric ones, such as all-MiniLM-L6-v2, embed both alike.
/// </summary>
/// <remarks>
/// A call says which it embeds through <see cref="EmbeddingGenerationOptionsExtensions.WithInputKind"/>, stored in
/// <c>EmbeddingGenerationOptions.AdditionalProperties</c> under <see cref="EmbeddingGenerationOptionsExtensions.InputKindKey"/>.
/// AiEng's retrievers embed queries as <see cref="Query"/> and its ingestor embeds chunks as <see cref="Document"/>; a
/// generator that knows no difference ignores it.
/// </remarks>
public enum EmbeddingInputKind
{
    /// <summary>Not said: the generator embeds the text as it is (for a model with prefixes: with none).</summary>
    Unspecified = 0,

    /// <summary>A search query, embedded to find documents.</summary>
    Query = 1,

    /// <summary>A document, chunk or passage, embedded to be found by queries.</summary>
    Document = 2,
}
