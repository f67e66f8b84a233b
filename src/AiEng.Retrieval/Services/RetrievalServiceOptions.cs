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

    /// <summary>
    /// The chunk size used when <see cref="ChunkSize"/> is not set: 200 tokens, of the embedding model when its tokenizer is
    /// known (and fewer when its window for a document is smaller), else of the registered <c>ITokenCounter</c>. Chosen on
    /// BEIR SciFact's train queries through the shipped pipeline with all-MiniLM-L6-v2: chunks of 200 word pieces scored
    /// hybrid nDCG@10 0.7391, against 0.7330 for chunks filling the model's window of 254 and 0.7393 for 160 (a tie, with a
    /// weaker keyword side and a fifth more chunks to embed).
    /// </summary>
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
    /// Gets or sets the largest number of tokens in a chunk of the default chunker (<see cref="MarkdownSectionChunker"/>).
    /// Default: <see langword="null"/>, <see cref="DefaultChunkSize"/> (200) or, when smaller, what the embedding model reads
    /// of a document. At least 1 when set.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Tokens are counted in the embedding model's own tokenizer when the default embedding generator offers one
    /// (an <c>EmbeddingTokenWindow</c> from <c>GetService</c>, as AiEng.Onnx's generator does), else by the registered
    /// <c>ITokenCounter</c> (o200k_base unless replaced).
    /// </para>
    /// <para>
    /// Unset, the size is <see cref="DefaultChunkSize"/> (200) tokens, capped to the model's window for a document (for
    /// all-MiniLM-L6-v2 254 word pieces: its 256 tokens less <c>[CLS]</c> and <c>[SEP]</c>, less the tokens of a configured
    /// document prefix), so no chunk is cut before it is embedded. When the model's tokenizer is not known (a hosted model)
    /// the 200 tokens are the registered counter's. A size set above the model's window is used as set, and a warning is
    /// logged when the chunker is created.
    /// </para>
    /// </remarks>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1 token")]
    [ConfigurationExample("200")]
    public int? ChunkSize { get; set; }

    /// <summary>
    /// Gets or sets how many tokens consecutive chunks of the default chunker may share, counted as <see cref="ChunkSize"/> is.
    /// Default: <see cref="DefaultChunkOverlap"/> (32). At least 0 and less than the chunk size.
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
