using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>Options of <see cref="LlmReranker"/>.</summary>
/// <remarks>The reranker copies the options; changing them afterwards has no effect on it.</remarks>
public sealed class LlmRerankerOptions
{
    /// <summary>The default <see cref="MaxCandidates"/>: 20.</summary>
    public const int DefaultMaxCandidates = 20;

    /// <summary>The default <see cref="BatchSize"/>: 10.</summary>
    public const int DefaultBatchSize = 10;

    /// <summary>The default <see cref="MaxPassageCharacters"/>: 2,000.</summary>
    public const int DefaultMaxPassageCharacters = 2_000;

    /// <summary>
    /// Gets or sets how many of the first candidates are judged; the rest keep the retriever's order after the judged
    /// ones. Bounds the cost of one rerank. Default: <see cref="DefaultMaxCandidates"/>. At least 1.
    /// </summary>
    public int MaxCandidates { get; set; } = DefaultMaxCandidates;

    /// <summary>
    /// Gets or sets how many candidates one chat call judges; more candidates take several calls, made one after the
    /// other. Default: <see cref="DefaultBatchSize"/>. At least 1.
    /// </summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>
    /// Gets or sets the most characters of a candidate's text put into the prompt (longer texts are cut).
    /// Default: <see cref="DefaultMaxPassageCharacters"/>. At least 1.
    /// </summary>
    public int MaxPassageCharacters { get; set; } = DefaultMaxPassageCharacters;

    /// <summary>
    /// Gets or sets the chat options of the judge calls (model, temperature, ...), cloned for every call.
    /// Default: <see langword="null"/>, temperature 0.
    /// </summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>Checks the values and returns a copy.</summary>
    internal LlmRerankerOptions Validate()
    {
        const string Name = nameof(LlmRerankerOptions);
        Check(MaxCandidates, nameof(MaxCandidates), DefaultMaxCandidates);
        Check(BatchSize, nameof(BatchSize), DefaultBatchSize);
        Check(MaxPassageCharacters, nameof(MaxPassageCharacters), DefaultMaxPassageCharacters);
        return new LlmRerankerOptions
        {
            MaxCandidates = MaxCandidates,
            BatchSize = BatchSize,
            MaxPassageCharacters = MaxPassageCharacters,
            ChatOptions = ChatOptions?.Clone() ?? new ChatOptions { Temperature = 0 },
        };

        static void Check(int value, string property, int example)
        {
            if (value < 1)
            {
                throw new ArgumentException($"{Name}.{property} is {value} but must be at least 1, for example {example}.", "options");
            }
        }
    }
}
