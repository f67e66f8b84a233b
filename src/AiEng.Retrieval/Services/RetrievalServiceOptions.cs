namespace AiEng.Retrieval;

/// <summary>
/// Options of the retrieval services registered by <c>AddRetrieval</c>, bound from the <c>AiEng:Retrieval</c> configuration
/// section by <c>AddAiEng(configuration)</c> and checked when the host starts.
/// </summary>
/// <remarks>
/// The services read the options once, when they are first resolved; later changes have no effect on them.
/// </remarks>
public sealed class RetrievalServiceOptions
{
    /// <summary>The default <see cref="Collection"/>: <c>chunks</c>.</summary>
    public const string DefaultCollection = "chunks";

    /// <summary>The default <see cref="ChunkSize"/>: 200 tokens, within the input of the default embedding model, all-MiniLM-L6-v2.</summary>
    public const int DefaultChunkSize = 200;

    /// <summary>The default <see cref="ChunkOverlap"/>: 32 tokens.</summary>
    public const int DefaultChunkOverlap = 32;

    /// <summary>Gets or sets the name of the vector store collection the chunks are stored in. Default: <see cref="DefaultCollection"/>.</summary>
    /// <remarks>Vectors of different embedding models cannot be compared: give each model its own collection.</remarks>
    public string Collection { get; set; } = DefaultCollection;

    /// <summary>Gets or sets which retriever is registered as <see cref="IRetriever"/>. Default: <see cref="RetrieverKind.Hybrid"/>.</summary>
    public RetrieverKind Retriever { get; set; } = RetrieverKind.Hybrid;

    /// <summary>
    /// Gets or sets the largest number of tokens in a chunk of the default chunker (<see cref="MarkdownSectionChunker"/>),
    /// counted by the registered <c>ITokenCounter</c>. Default: <see cref="DefaultChunkSize"/> (200). At least 1.
    /// </summary>
    /// <remarks>
    /// Keep it within what the embedding model reads. The default suits the default embedding model, all-MiniLM-L6-v2,
    /// which reads 256 of its own (WordPiece) tokens, about 200 o200k_base tokens of English; a larger chunk would be cut
    /// before it is embedded. Raise it for models that read more (OpenAI's embedding models read 8,191 tokens).
    /// </remarks>
    public int ChunkSize { get; set; } = DefaultChunkSize;

    /// <summary>
    /// Gets or sets how many tokens consecutive chunks of the default chunker may share. Default:
    /// <see cref="DefaultChunkOverlap"/> (32). At least 0 and less than <see cref="ChunkSize"/>.
    /// </summary>
    public int ChunkOverlap { get; set; } = DefaultChunkOverlap;

    /// <summary>
    /// Gets or sets the number of dimensions of the stored vectors. Default: <see langword="null"/>, the
    /// <c>EmbeddingGeneratorMetadata.DefaultModelDimensions</c> of the default embedding generator. At least 1 when set.
    /// </summary>
    public int? Dimensions { get; set; }

    /// <summary>
    /// Gets or sets the metadata keys chunks can be filtered on (<see cref="RetrievalRequest.Where"/>,
    /// <see cref="RetrievalRequest.WhereAny"/>), for example <c>["tenant", "lang"]</c>; configuration
    /// <c>AiEng:Retrieval:FilterableFields</c> (environment variables <c>AiEng__Retrieval__FilterableFields__0=tenant</c>,
    /// <c>...__1=lang</c>). Default: none.
    /// </summary>
    /// <remarks>
    /// The registered <see cref="DocumentIngestor"/> writes each of these keys of a document's (or chunk's) metadata to the
    /// chunk's <see cref="ChunkRecord.Tags"/>, and the registered <see cref="IRetriever"/> accepts filters on them only (a
    /// filter on another key fails with an <see cref="ArgumentException"/> naming it). A key must be non-empty and must not
    /// contain <c>=</c>; an invalid key fails the resolution of the ingestor or retriever. The next ingestion re-tags the
    /// documents whose tags no longer match their metadata (a key declared since, a document moved to another tenant).
    /// </remarks>
    public IList<string> FilterableFields { get; set; } = [];

    /// <summary>Gets the configuration values that could not be read (each message names its key); reported when the options are validated.</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}
