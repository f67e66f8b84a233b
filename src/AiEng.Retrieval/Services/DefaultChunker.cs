using System.Globalization;
using AiEng.Inference;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AiEng.Retrieval;

/// <summary>
/// Creates the <see cref="IChunker"/> that <c>AddRetrieval</c> registers: a <see cref="MarkdownSectionChunker"/> that counts
/// in the embedding model's own tokens when the model's generator offers an <see cref="EmbeddingTokenWindow"/>, and in the
/// registered <see cref="ITokenCounter"/>'s otherwise. An unset size is <see cref="RetrievalServiceOptions.DefaultChunkSize"/>,
/// capped to what the model reads of a document, so that no chunk is cut before it is embedded.
/// </summary>
internal static partial class DefaultChunker
{
    /// <summary>Creates the chunker of a corpus.</summary>
    /// <param name="options">The corpus's options.</param>
    /// <param name="embeddingGenerator">The embedding generator that embeds the chunks.</param>
    /// <param name="registeredCounter">The registered token counter, used when the model's tokenizer is not known.</param>
    /// <param name="section">The configuration path of the options, to name keys.</param>
    /// <param name="logger">Receives a warning when the configured size exceeds the model's window.</param>
    /// <returns>The chunker.</returns>
    /// <exception cref="InvalidOperationException"><see cref="RetrievalServiceOptions.ChunkSize"/> is unset and the overlap is not below the model's window.</exception>
    public static MarkdownSectionChunker Create(
        RetrievalServiceOptions options, IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator, Func<ITokenCounter> registeredCounter, string section, ILogger? logger)
    {
        EmbeddingTokenWindow? window = embeddingGenerator.GetService<EmbeddingTokenWindow>();
        ITokenCounter counter = window?.TokenCounter ?? registeredCounter();
        int? modelSize = window?.GetMaxTokens(EmbeddingInputKind.Document);
        int size = options.ChunkSize ?? Math.Min(RetrievalServiceOptions.DefaultChunkSize, modelSize ?? int.MaxValue);
        if (options.ChunkSize > modelSize && logger is not null)
        {
            string model = embeddingGenerator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "the embedding model";
            ChunkSizeAboveWindow(logger, section + ":" + nameof(RetrievalServiceOptions.ChunkSize), size, model, modelSize.Value, counter.Name);
        }

        if (options.ChunkOverlap >= size)
        {
            // Only reachable with ChunkSize unset: a set size is checked against the overlap at start-up.
            string key = section + ":" + nameof(RetrievalServiceOptions.ChunkOverlap);
            throw new InvalidOperationException(ConfigurationKeys.Invalid(
                key,
                options.ChunkOverlap,
                $"must be less than the chunk size, {size} {counter.Name} tokens ({section}:{nameof(RetrievalServiceOptions.ChunkSize)} is not set: {RetrievalServiceOptions.DefaultChunkSize}, or the embedding model's window for a document when smaller)",
                Math.Min(RetrievalServiceOptions.DefaultChunkOverlap, size / 8).ToString(CultureInfo.InvariantCulture)));
        }

        return new MarkdownSectionChunker(counter, new ChunkerOptions { ChunkSize = size, ChunkOverlap = options.ChunkOverlap });
    }

    [LoggerMessage(EventId = 300, EventName = "ChunkSizeAboveEmbeddingWindow", Level = LogLevel.Warning,
        Message = "{Key} is {ChunkSize} but embedding model {ModelId} reads {ModelTokens} {Tokenizer} tokens of a document: longer chunks are cut before they are embedded. Set it to {ModelTokens} or less, or leave it unset.")]
    private static partial void ChunkSizeAboveWindow(ILogger logger, string key, int chunkSize, string modelId, int modelTokens, string tokenizer);
}
