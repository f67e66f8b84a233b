using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Sends each embedding request only when the model's <see cref="ModelRateLimiter"/> admits it, with its inputs' tokens, and
/// corrects the estimate with the reported usage.
/// </summary>
/// <remarks>Within AiEng's pipeline this sits inside resilience, next to the provider's generator, so retries pass the limiter too.</remarks>
internal sealed class RateLimitingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ModelRateLimiter _limiter;
    private readonly ITokenCounter _tokenCounter;

    /// <summary>Initializes a new instance of the <see cref="RateLimitingEmbeddingGenerator"/> class.</summary>
    /// <param name="innerGenerator">The generator the requests go to.</param>
    /// <param name="limiter">The model's limiter, shared with its other clients.</param>
    /// <param name="tokenCounter">Counts the inputs' tokens when a token limit is set.</param>
    public RateLimitingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, ModelRateLimiter limiter, ITokenCounter tokenCounter)
        : base(innerGenerator)
    {
        _limiter = limiter;
        _tokenCounter = tokenCounter;
    }

    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyCollection<string> ?? [.. values];
        int estimate = 0;
        if (_limiter.CountsTokens)
        {
            foreach (string input in inputs)
            {
                estimate += _tokenCounter.CountTokens(input);
            }
        }

        var embeddings = await _limiter.ExecuteAsync(
            estimate,
            static async (state, token) => await state.Generator.InnerGenerator.GenerateAsync(state.Inputs, state.Options, token).ConfigureAwait(false),
            (Generator: this, Inputs: inputs, Options: options),
            cancellationToken).ConfigureAwait(false);
        _limiter.ReportUsage(estimate, embeddings.Usage?.TotalTokenCount ?? embeddings.Usage?.InputTokenCount);
        return embeddings;
    }
}
