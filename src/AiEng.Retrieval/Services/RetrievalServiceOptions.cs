using System.ComponentModel.DataAnnotations;
using AiEng.Configuration;

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
    [Required(ErrorMessage = "{0} must not be empty: set it to the name of the vector store collection")]
    public string Collection { get; set; } = DefaultCollection;

    /// <summary>Gets or sets which retriever is registered as <see cref="IRetriever"/>. Default: <see cref="RetrieverKind.Hybrid"/>.</summary>
    [EnumDataType(typeof(RetrieverKind), ErrorMessage = "{0} must be a retriever")]
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
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1 token")]
    public int ChunkSize { get; set; } = DefaultChunkSize;

    /// <summary>
    /// Gets or sets how many tokens consecutive chunks of the default chunker may share. Default:
    /// <see cref="DefaultChunkOverlap"/> (32). At least 0 and less than <see cref="ChunkSize"/>.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "{0} must be at least 0")]
    public int ChunkOverlap { get; set; } = DefaultChunkOverlap;

    /// <summary>
    /// Gets or sets the number of dimensions of the stored vectors. Default: <see langword="null"/>, the
    /// <c>EmbeddingGeneratorMetadata.DefaultModelDimensions</c> of the default embedding generator. At least 1 when set.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1 when set (leave it unset to take the embedding model's)")]
    [ConfigurationExample("384")]
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
    /// contain <c>=</c>; an invalid key fails start-up with a message naming it. The next ingestion re-tags the
    /// documents whose tags no longer match their metadata (a key declared since, a document moved to another tenant).
    /// </remarks>
    public IList<string> FilterableFields { get; set; } = [];

    /// <summary>
    /// Gets or sets how the hybrid retriever merges the keyword and dense rankings. Default:
    /// <see cref="FusionMethod.NormalizedScore"/>, chosen on BEIR SciFact's train queries through the shipped pipeline
    /// (see docs/retrieval.md). Used when <see cref="Retriever"/> is <see cref="RetrieverKind.Hybrid"/>.
    /// </summary>
    [EnumDataType(typeof(FusionMethod), ErrorMessage = "{0} must be a fusion method")]
    public FusionMethod Fusion { get; set; } = FusionMethod.NormalizedScore;

    /// <summary>
    /// Gets or sets how many chunks each side of the hybrid retriever returns before fusion (at least the number asked for).
    /// Default: <see cref="HybridRetrieverOptions.DefaultCandidateDepth"/> (200). At least 1.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1 chunk")]
    public int FusionDepth { get; set; } = HybridRetrieverOptions.DefaultCandidateDepth;

    /// <summary>
    /// Gets or sets the weight of the dense ranking in <see cref="FusionMethod.NormalizedScore"/> fusion; the keyword ranking
    /// gets 1 minus it. Default: 0.5 (equal weights). Between 0 and 1. Ignored by reciprocal-rank fusion.
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "{0} must be between 0 and 1")]
    [ConfigurationExample("0.5")]
    public double DenseWeight { get; set; } = 0.5;
}
