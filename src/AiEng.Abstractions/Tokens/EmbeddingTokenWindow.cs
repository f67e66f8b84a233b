using AiEng.Inference;
using AiEng.Shared;

namespace AiEng.Tokens;

/// <summary>
/// An embedding model's own tokenizer and how many of its tokens one input may hold to be read whole: what a chunker needs
/// so that no chunk is cut before it is embedded. An embedding generator that knows them returns it from
/// <c>GetService(typeof(EmbeddingTokenWindow))</c> (AiEng.Onnx's generator does); <c>AddRetrieval</c>'s default chunker
/// then counts in these tokens.
/// </summary>
/// <remarks>
/// Counts exclude what the model adds to every input (special tokens such as <c>[CLS]</c> and <c>[SEP]</c>) and the prefix
/// the generator puts before queries or documents: <see cref="GetMaxTokens"/> subtracts the prefix of each kind.
/// </remarks>
public sealed class EmbeddingTokenWindow
{
    /// <summary>Initializes a new instance of the <see cref="EmbeddingTokenWindow"/> class.</summary>
    /// <param name="tokenCounter">Counts tokens as the model's tokenizer does, without special tokens.</param>
    /// <param name="maxTokens">The largest number of tokens of one input, without special tokens, that the model reads whole; at least 1.</param>
    /// <param name="queryPrefixTokens">The number of tokens of the prefix the generator puts before a query; at least 0 and less than <paramref name="maxTokens"/>.</param>
    /// <param name="documentPrefixTokens">The number of tokens of the prefix the generator puts before a document; at least 0 and less than <paramref name="maxTokens"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokenCounter"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    public EmbeddingTokenWindow(ITokenCounter tokenCounter, int maxTokens, int queryPrefixTokens = 0, int documentPrefixTokens = 0)
    {
        TokenCounter = Throw.IfNull(tokenCounter);
        MaxTokens = Throw.IfLessThan(maxTokens, 1);
        QueryPrefixTokens = CheckPrefix(queryPrefixTokens, maxTokens, nameof(queryPrefixTokens));
        DocumentPrefixTokens = CheckPrefix(documentPrefixTokens, maxTokens, nameof(documentPrefixTokens));
    }

    /// <summary>Gets the counter of the model's tokens (special tokens not counted).</summary>
    public ITokenCounter TokenCounter { get; }

    /// <summary>Gets the largest number of tokens of one input that the model reads whole, special tokens excluded, with no prefix.</summary>
    public int MaxTokens { get; }

    /// <summary>Gets the number of tokens of the prefix put before queries (0 for none).</summary>
    public int QueryPrefixTokens { get; }

    /// <summary>Gets the number of tokens of the prefix put before documents (0 for none).</summary>
    public int DocumentPrefixTokens { get; }

    /// <summary>Gets the largest number of tokens a text of <paramref name="kind"/> may have to be read whole: <see cref="MaxTokens"/> less that kind's prefix.</summary>
    /// <param name="kind">What the text is embedded as.</param>
    /// <returns>The number of tokens, at least 1.</returns>
    public int GetMaxTokens(EmbeddingInputKind kind) => kind switch
    {
        EmbeddingInputKind.Query => MaxTokens - QueryPrefixTokens,
        EmbeddingInputKind.Document => MaxTokens - DocumentPrefixTokens,
        _ => MaxTokens,
    };

    private static int CheckPrefix(int prefixTokens, int maxTokens, string paramName) =>
        prefixTokens >= 0 && prefixTokens < maxTokens
            ? prefixTokens
            : throw new ArgumentOutOfRangeException(paramName, prefixTokens, $"The prefix must have at least 0 tokens and fewer than the {maxTokens} the model reads.");
}
