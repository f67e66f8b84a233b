using AiEng.Inference;
using AiEng.Providers;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.AI;

/// <summary>Adds request limits (inputs and tokens per request, tokens per input) to an embedding generator pipeline.</summary>
public static class RequestLimitingEmbeddingGeneratorBuilderExtensions
{
    /// <summary>
    /// Splits each call into requests that respect <paramref name="limits"/>, sent one after the other, with the embeddings
    /// returned in the order of the inputs and the usage summed; an input over <see cref="EmbeddingRequestLimits.MaxTokensPerInput"/>
    /// (or over <see cref="EmbeddingRequestLimits.MaxTokensPerRequest"/> on its own) fails the call with a
    /// <see cref="ModelRequestException"/> whose <see cref="ModelRequestException.InputIndex"/> names it, before anything is sent.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="limits">The limits; <c>GetService(typeof(EmbeddingRequestLimits))</c> on the pipeline returns them.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="limits"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Tokens are counted with <see cref="EmbeddingRequestLimits.TokenCounter"/>, else the model's own tokenizer when the inner
    /// generator offers an <see cref="EmbeddingTokenWindow"/>, else the <see cref="ITokenCounter"/> registered in the builder's
    /// services, else <c>o200k_base</c>. AiEng's pipeline adds this itself for a configured model with limits
    /// (<see cref="ModelProvider.GetEmbeddingRequestLimits"/> and the model's settings).
    /// </remarks>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseRequestLimits(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, EmbeddingRequestLimits limits)
    {
        Throw.IfNull(builder);
        Throw.IfNull(limits);
        return builder.Use((inner, services) => Create(inner, services, limits, nameof(EmbeddingRequestLimits)));
    }

    /// <summary>Creates the middleware, choosing the token counter as <see cref="UseRequestLimits"/> describes.</summary>
    /// <param name="inner">The generator the requests go to.</param>
    /// <param name="services">The services to find a registered token counter in.</param>
    /// <param name="limits">The limits.</param>
    /// <param name="source">Where the limits come from, for messages: a configuration section such as <c>AiEng:Embeddings</c>.</param>
    internal static IEmbeddingGenerator<string, Embedding<float>> Create(
        IEmbeddingGenerator<string, Embedding<float>> inner, IServiceProvider services, EmbeddingRequestLimits limits, string source)
    {
        ITokenCounter? counter = null;
        if (limits.CountsTokens)
        {
            counter = limits.TokenCounter
                ?? inner.GetService<EmbeddingTokenWindow>()?.TokenCounter
                ?? services.GetService<ITokenCounter>()
                ?? TiktokenTokenCounter.O200kBase;
        }

        return new RequestLimitingEmbeddingGenerator(inner, limits, counter, source);
    }
}
