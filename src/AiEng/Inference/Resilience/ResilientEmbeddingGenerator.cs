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
/// A typed <see cref="ResiliencePipeline{T}"/> of <see cref="GeneratedEmbeddings{TEmbedding}"/> (hedging, fallback) runs
/// every call around the untyped pipeline, as <see cref="ResilientChatClient"/> does for non-streaming chat calls, with the
/// request in the context (<see cref="ModelResilienceProperties"/>).
/// </remarks>
public sealed class ResilientEmbeddingGenerator<TInput, TEmbedding> : DelegatingEmbeddingGenerator<TInput, TEmbedding>
    where TEmbedding : Embedding
{
    private readonly ModelCallResilience _resilience;
    private readonly ResiliencePipeline<GeneratedEmbeddings<TEmbedding>>? _embeddingsPipeline;

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
    /// <param name="pipeline">The pipeline; its strategies decide what is retried or rejected.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    public ResilientEmbeddingGenerator(IEmbeddingGenerator<TInput, TEmbedding> innerGenerator, ResiliencePipeline pipeline)
        : this(innerGenerator, Throw.IfNull(pipeline), embeddingsPipeline: null, timeProvider: null, configurationPath: null)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ResilientEmbeddingGenerator{TInput, TEmbedding}"/> class that runs every
    /// call through <paramref name="pipeline"/>, for example one from Polly's registry.
    /// </summary>
    /// <param name="innerGenerator">The generator whose calls are made resilient.</param>
    /// <param name="pipeline">The pipeline; its strategies decide what is retried or rejected.</param>
    /// <param name="timeProvider">The clock used to read <c>Retry-After</c> HTTP-dates in error messages; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    public ResilientEmbeddingGenerator(IEmbeddingGenerator<TInput, TEmbedding> innerGenerator, ResiliencePipeline pipeline, TimeProvider? timeProvider)
        : this(innerGenerator, Throw.IfNull(pipeline), embeddingsPipeline: null, timeProvider, configurationPath: null)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ResilientEmbeddingGenerator{TInput, TEmbedding}"/> class that runs every
    /// call through a typed pipeline, for example one with Polly's hedging or fallback, around <paramref name="pipeline"/>.
    /// </summary>
    /// <param name="innerGenerator">The generator whose calls are made resilient.</param>
    /// <param name="pipeline">
    /// The untyped pipeline: it runs each attempt of <paramref name="embeddingsPipeline"/>, so its retries, timeouts and
    /// circuit breaker apply to each hedged attempt; <see langword="null"/> for none.
    /// </param>
    /// <param name="embeddingsPipeline">The typed pipeline every call runs through.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> or <paramref name="embeddingsPipeline"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// The typed pipeline's callback can be invoked several times, also concurrently (hedging): each attempt sends the same
    /// values and options, which it only reads, with the cancellation token of its own <see cref="ResilienceContext"/>.
    /// <c>Retry-After</c> HTTP-dates in error messages are read with the system clock (<c>UseResilience</c> uses the
    /// <see cref="TimeProvider"/> of the builder's services).
    /// </remarks>
    public ResilientEmbeddingGenerator(
        IEmbeddingGenerator<TInput, TEmbedding> innerGenerator, ResiliencePipeline? pipeline, ResiliencePipeline<GeneratedEmbeddings<TEmbedding>> embeddingsPipeline)
        : this(innerGenerator, pipeline ?? ResiliencePipeline.Empty, Throw.IfNull(embeddingsPipeline), timeProvider: null, configurationPath: null)
    {
    }

    /// <summary>Initializes a new instance around pipelines, naming the model's configuration section in errors.</summary>
    internal ResilientEmbeddingGenerator(
        IEmbeddingGenerator<TInput, TEmbedding> innerGenerator,
        ResiliencePipeline pipeline,
        ResiliencePipeline<GeneratedEmbeddings<TEmbedding>>? embeddingsPipeline,
        TimeProvider? timeProvider,
        string? configurationPath)
        : base(Throw.IfNull(innerGenerator))
    {
        Throw.IfNull(pipeline);
        var metadata = innerGenerator.GetService<EmbeddingGeneratorMetadata>();
        _resilience = new ModelCallResilience(pipeline, ModelKind.Embeddings, metadata?.ProviderName, metadata?.DefaultModelId, configurationPath, timeProvider);
        _embeddingsPipeline = embeddingsPipeline;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelRequestException">The provider rejected the request, retries were exhausted, the call timed out, or the circuit is open.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override Task<GeneratedEmbeddings<TEmbedding>> GenerateAsync(
        IEnumerable<TInput> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(values);
        var state = (Inner: InnerGenerator, Values: values, Options: options);
        return _embeddingsPipeline is null
            ? _resilience.ExecuteAsync(Generate, state, options?.ModelId, cancellationToken)
            : _resilience.ExecuteAsync(_embeddingsPipeline, Describe, Generate, state, options?.ModelId, cancellationToken);
    }

    /// <summary>Puts the request in the context of a typed pipeline (the values only when they are strings).</summary>
    private static void Describe(
        ResilienceProperties properties, (IEmbeddingGenerator<TInput, TEmbedding> Inner, IEnumerable<TInput> Values, EmbeddingGenerationOptions? Options) state)
    {
        if (state.Values is IEnumerable<string> strings)
        {
            properties.Set(ModelResilienceProperties.EmbeddingValues, strings);
        }

        properties.Set(ModelResilienceProperties.EmbeddingOptions, state.Options);
    }

    /// <summary>Makes one attempt with the attempt's token.</summary>
    private static Task<GeneratedEmbeddings<TEmbedding>> Generate(
        (IEmbeddingGenerator<TInput, TEmbedding> Inner, IEnumerable<TInput> Values, EmbeddingGenerationOptions? Options) state, CancellationToken cancellationToken) =>
        state.Inner.GenerateAsync(state.Values, state.Options, cancellationToken);
}
