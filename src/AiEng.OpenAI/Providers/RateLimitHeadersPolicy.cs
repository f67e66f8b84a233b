using System.ClientModel.Primitives;
using AiEng.Inference;

namespace AiEng.OpenAI;

/// <summary>
/// Reports every response of one model to its shared <see cref="ModelRateLimiter"/>, if the model has one: the
/// <c>x-ratelimit-remaining-*</c> and <c>x-ratelimit-reset-*</c> headers OpenAI sends on every response, and the
/// <c>Retry-After</c> of a 429. These headers never reach <c>Microsoft.Extensions.AI</c> (a <c>ChatResponse</c> carries the
/// parsed body only), so the OpenAI client's pipeline is where they are read.
/// </summary>
/// <remarks>
/// The limiter is looked up when the response arrives, not when the client is created, so the policy costs one dictionary
/// look-up per response and does nothing for models without limits.
/// </remarks>
internal sealed class RateLimitHeadersPolicy : PipelinePolicy
{
    private readonly ModelRateLimiters _limiters;
    private readonly string _model;

    /// <summary>Initializes a new instance of the <see cref="RateLimitHeadersPolicy"/> class.</summary>
    /// <param name="limiters">The process's limiters.</param>
    /// <param name="model">The model id the client sends to.</param>
    public RateLimitHeadersPolicy(ModelRateLimiters limiters, string model)
    {
        _limiters = limiters;
        _model = model;
    }

    /// <inheritdoc />
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ProcessNext(message, pipeline, currentIndex);
        Observe(message);
    }

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        Observe(message);
    }

    private void Observe(PipelineMessage message)
    {
        if (message.Response is { } response && _limiters.Find(OpenAIModelProvider.ProviderName, _model) is { } limiter)
        {
            limiter.ObserveResponse(response.Status, name => response.Headers.TryGetValue(name, out var value) ? value : null);
        }
    }
}
