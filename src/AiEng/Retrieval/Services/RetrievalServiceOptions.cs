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

    private static readonly ChunkerOptions ChunkerDefaults = new();

    /// <summary>Gets or sets the name of the vector store collection the chunks are stored in. Default: <see cref="DefaultCollection"/>.</summary>
    /// <remarks>Vectors of different embedding models cannot be compared: give each model its own collection.</remarks>
    public string Collection { get; set; } = DefaultCollection;

    /// <summary>Gets or sets which retriever is registered as <see cref="IRetriever"/>. Default: <see cref="RetrieverKind.Hybrid"/>.</summary>
    public RetrieverKind Retriever { get; set; } = RetrieverKind.Hybrid;

    /// <summary>
    /// Gets or sets the largest number of tokens in a chunk of the default chunker (<see cref="MarkdownSectionChunker"/>),
    /// counted by the registered <c>ITokenCounter</c>. Default: the <see cref="ChunkerOptions.ChunkSize"/> default, 512. At least 1.
    /// </summary>
    /// <remarks>Keep it within what the embedding model reads: all-MiniLM-L6-v2 reads 256 of its own tokens, so about 200 suits it.</remarks>
    public int ChunkSize { get; set; } = ChunkerDefaults.ChunkSize;

    /// <summary>
    /// Gets or sets how many tokens consecutive chunks of the default chunker may share. Default: the
    /// <see cref="ChunkerOptions.ChunkOverlap"/> default, 64. At least 0 and less than <see cref="ChunkSize"/>.
    /// </summary>
    public int ChunkOverlap { get; set; } = ChunkerDefaults.ChunkOverlap;

    /// <summary>
    /// Gets or sets the number of dimensions of the stored vectors. Default: <see langword="null"/>, the
    /// <c>EmbeddingGeneratorMetadata.DefaultModelDimensions</c> of the default embedding generator. At least 1 when set.
    /// </summary>
    public int? Dimensions { get; set; }

    /// <summary>Gets the configuration values that could not be read (each message names its key); reported when the options are validated.</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}
