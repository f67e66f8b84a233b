using AiEng.Providers;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;

namespace AiEng.Inference;

/// <summary>
/// An embedding generator middleware that makes calls resilient with Polly, exactly as <see cref="ResilientChatClient"/>
/// does for chat: retries of transient failures honouring <c>Retry-After</c>, per-attempt and total timeouts, and a
/// circuit breaker. See <see cref="ResilienceOptions"/> for what is retried and the defaults.
/// </summary>
/// <typeparam name="TInput">The type of the values embedded.</typeparam>
/// <typeparam name="TEmbedding">The type of the embeddings generated.</typeparam>
/// <remarks>
/// Client errors (HTTP 400, 401, 403, 404 and other 4xx except 408 and 429) surface at once as a
/// <see cref="ModelRequestException"/>, as do transient failures that remain after the last retry, timeouts and calls
/// rejected by the open circuit. A cancellation through the caller's token propagates at once. Built from options,
/// the Polly pipeline belongs to the instance; a given one is shared. The values are sent again on each attempt, so they must be enumerable more than once.
/// </remarks>
public sealed class ResilientEmbeddingGenerator<TInput, TEmbedding> : DelegatingEmbeddingGenerator<TInput, TEmbedding>
    where TEmbedding : Embedding
{
    private readonly ModelCallResilience _resilience;

    /// <summary>Initializes a new instance of the <see cref="ResilientEmbeddingGenerator{TInput, TEmbedding}"/> class.</summary>
    /// <param name="innerGenerator">The generator whose calls are made resilient.</param>
    /// <param name="options">The options, read once here and not kept; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The source of time for delays, timeouts and the circuit breaker; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Creates the logger for retries and circuit changes; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value of <paramref name="options"/> is out of range; the message names it and the allowed range.</exception>
    public ResilientEmbeddingGenerator(
        IEmbeddingGenerator<TInput, TEmbedding> innerGenerator, ResilienceOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : base(Throw.IfNull(innerGenerator))
    {
        var metadata = innerGenerator.GetService<EmbeddingGeneratorMetadata>();
        _resilience = new ModelCallResilience(options, ModelKind.Embeddings, metadata?.ProviderName, metadata?.DefaultModelId, timeProvider, loggerFactory, typeof(ResilientEmbeddingGenerator<TInput, TEmbedding>));
    }

    /// <summary>Initializes a new instance of the <see cref="ResilientEmbeddingGenerator{TInput, TEmbedding}"/> class that runs every call through <paramref name="pipeline"/>, with the system clock.</summary>
    /// <param name="innerGenerator">The generator whose calls are made resilient.</param>
    /// <param name="pipeline">The pipeline; its strategies decide what is retried, hedged or rejected.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    public ResilientEmbeddingGenerator(IEmbeddingGenerator<TInput, TEmbedding> innerGenerator, ResiliencePipeline pipeline)
        : this(innerGenerator, pipeline, timeProvider: null, configurationPath: null)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ResilientEmbeddingGenerator{TInput, TEmbedding}"/> class that runs every
    /// call through <paramref name="pipeline"/>, for example one from Polly's registry.
    /// </summary>
    /// <param name="innerGenerator">The generator whose calls are made resilient.</param>
    /// <param name="pipeline">The pipeline; its strategies decide what is retried, hedged or rejected.</param>
    /// <param name="timeProvider">The clock used to read <c>Retry-After</c> HTTP-dates in error messages; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    public ResilientEmbeddingGenerator(IEmbeddingGenerator<TInput, TEmbedding> innerGenerator, ResiliencePipeline pipeline, TimeProvider? timeProvider)
        : this(innerGenerator, pipeline, timeProvider, configurationPath: null)
    {
    }

    /// <summary>Initializes a new instance around a pipeline, naming the model's configuration section in errors.</summary>
    internal ResilientEmbeddingGenerator(IEmbeddingGenerator<TInput, TEmbedding> innerGenerator, ResiliencePipeline pipeline, TimeProvider? timeProvider, string? configurationPath)
        : base(Throw.IfNull(innerGenerator))
    {
        Throw.IfNull(pipeline);
        var metadata = innerGenerator.GetService<EmbeddingGeneratorMetadata>();
        _resilience = new ModelCallResilience(pipeline, ModelKind.Embeddings, metadata?.ProviderName, metadata?.DefaultModelId, configurationPath, timeProvider);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelRequestException">The provider rejected the request, retries were exhausted, the call timed out, or the circuit is open.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override Task<GeneratedEmbeddings<TEmbedding>> GenerateAsync(
        IEnumerable<TInput> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(values);
        return _resilience.ExecuteAsync(
            static (state, token) => state.Inner.GenerateAsync(state.Values, state.Options, token),
            (Inner: InnerGenerator, Values: values, Options: options),
            options?.ModelId,
            cancellationToken);
    }
}
