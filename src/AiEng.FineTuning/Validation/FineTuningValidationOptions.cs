using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>Options for <see cref="FineTuningValidator"/>. The defaults follow OpenAI's chat fine-tuning limits.</summary>
public sealed class FineTuningValidationOptions
{
    /// <summary>Gets or sets the most tokens one example may have (messages and tool definitions). Default 65,536 (OpenAI's limit for gpt-4o-mini training examples).</summary>
    public int MaxTokensPerExample { get; set; } = 65_536;

    /// <summary>Gets or sets the fewest training examples accepted. Default 10 (OpenAI's minimum).</summary>
    public int MinExamples { get; set; } = 10;

    /// <summary>Gets or sets the tokenizer that counts example tokens; <see langword="null"/> (the default) for Tiktoken <c>o200k_base</c>.</summary>
    public ITokenCounter? TokenCounter { get; set; }

    /// <summary>
    /// Gets or sets the Jaccard similarity of two examples' word 3-gram sets (system messages left out) at or above which they
    /// are near-duplicates; <see langword="null"/> turns the check off. Default 0.9.
    /// </summary>
    public double? NearDuplicateSimilarity { get; set; } = 0.9;

    /// <summary>
    /// Gets or sets the most examples (training and validation together) compared pairwise for near-duplicates; larger sets
    /// skip the shingle comparison with a warning. Default 20,000.
    /// </summary>
    public int MaxNearDuplicateExamples { get; set; } = 20_000;

    /// <summary>
    /// Gets or sets an embedding generator that finds near-duplicates by meaning as well (cosine similarity of the examples'
    /// non-system text at or above <see cref="EmbeddingSimilarity"/>); <see langword="null"/> (the default) skips it.
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? EmbeddingGenerator { get; set; }

    /// <summary>Gets or sets the cosine similarity at or above which two examples' embeddings make them near-duplicates. Default 0.95.</summary>
    public double EmbeddingSimilarity { get; set; } = 0.95;

    internal FineTuningValidationOptions Validate()
    {
        if (MaxTokensPerExample < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTokensPerExample), MaxTokensPerExample, "MaxTokensPerExample must be at least 1.");
        }

        if (MinExamples < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinExamples), MinExamples, "MinExamples must be zero or positive.");
        }

        if (NearDuplicateSimilarity is double jaccard && (jaccard is <= 0 or > 1 || double.IsNaN(jaccard)))
        {
            throw new ArgumentOutOfRangeException(nameof(NearDuplicateSimilarity), jaccard, "NearDuplicateSimilarity must be above 0 and at most 1, or null to turn the check off.");
        }

        if (EmbeddingSimilarity is <= 0 or > 1 || double.IsNaN(EmbeddingSimilarity))
        {
            throw new ArgumentOutOfRangeException(nameof(EmbeddingSimilarity), EmbeddingSimilarity, "EmbeddingSimilarity must be above 0 and at most 1.");
        }

        return new FineTuningValidationOptions
        {
            MaxTokensPerExample = MaxTokensPerExample,
            MinExamples = MinExamples,
            TokenCounter = TokenCounter,
            NearDuplicateSimilarity = NearDuplicateSimilarity,
            MaxNearDuplicateExamples = MaxNearDuplicateExamples,
            EmbeddingGenerator = EmbeddingGenerator,
            EmbeddingSimilarity = EmbeddingSimilarity,
        };
    }
}
