using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;

namespace Microsoft.Extensions.AI;

/// <summary>Adds <see cref="ResilientEmbeddingGenerator{TInput, TEmbedding}"/> to an embedding generator pipeline.</summary>
public static class ResilientEmbeddingGeneratorBuilderExtensions
{
    /// <summary>
    /// Adds resilience to the embedding generator pipeline with the options registered as <c>IOptions&lt;ResilienceOptions&gt;</c>
    /// or the defaults; see <see cref="UseResilience{TInput, TEmbedding}(EmbeddingGeneratorBuilder{TInput, TEmbedding}, Action{ResilienceOptions})"/>.
    /// </summary>
    /// <typeparam name="TInput">The type of the values embedded.</typeparam>
    /// <typeparam name="TEmbedding">The type of the embeddings generated.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<TInput, TEmbedding> UseResilience<TInput, TEmbedding>(this EmbeddingGeneratorBuilder<TInput, TEmbedding> builder)
        where TEmbedding : Embedding => UseResilience(builder, configure: null);

    /// <summary>
    /// Adds resilience to the embedding generator pipeline: retries of transient failures with exponential backoff,
    /// jitter and <c>Retry-After</c>, per-attempt and total timeouts, and a circuit breaker (see <see cref="ResilienceOptions"/>).
    /// </summary>
    /// <typeparam name="TInput">The type of the values embedded.</typeparam>
    /// <typeparam name="TEmbedding">The type of the embeddings generated.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">
    /// Changes the options of this pipeline. It receives a copy of the registered <c>IOptions&lt;ResilienceOptions&gt;</c>
    /// value (bound from <c>AiEng:Resilience</c> by <c>AddAiEng</c>) or the defaults; the registered value is never changed.
    /// </param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// The pipeline belongs to this generator alone (it is not in Polly's registry). <see cref="TimeProvider"/> and
    /// <see cref="ILoggerFactory"/> are taken from the builder's services when registered. The options are validated when
    /// the pipeline is built: <c>Build</c> throws <see cref="ArgumentException"/> for a value out of range.
    /// </remarks>
    public static EmbeddingGeneratorBuilder<TInput, TEmbedding> UseResilience<TInput, TEmbedding>(
        this EmbeddingGeneratorBuilder<TInput, TEmbedding> builder, Action<ResilienceOptions>? configure)
        where TEmbedding : Embedding
    {
        Throw.IfNull(builder);
        return builder.Use((innerGenerator, services) => new ResilientEmbeddingGenerator<TInput, TEmbedding>(
            innerGenerator,
            ResilienceOptions.Resolve(services, configure),
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>()));
    }

    /// <summary>
    /// Adds resilience to the embedding generator pipeline with the Polly pipeline registered under <paramref name="pipelineKey"/>,
    /// for example one of AiEng's (<see cref="ModelResiliencePipelines.EmbeddingsKey"/>) or one of your own.
    /// </summary>
    /// <typeparam name="TInput">The type of the values embedded.</typeparam>
    /// <typeparam name="TEmbedding">The type of the embeddings generated.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="pipelineKey">The key of the pipeline in the <c>ResiliencePipelineProvider&lt;string&gt;</c> of the builder's services.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pipelineKey"/> is empty or whitespace.</exception>
    /// <remarks>
    /// A typed pipeline of <see cref="GeneratedEmbeddings{TEmbedding}"/> registered under the same key (hedging, fallback)
    /// runs every call around the untyped one; either may be registered alone. <c>Build</c> throws
    /// <see cref="InvalidOperationException"/> when none is registered under the key.
    /// </remarks>
    public static EmbeddingGeneratorBuilder<TInput, TEmbedding> UseResilience<TInput, TEmbedding>(
        this EmbeddingGeneratorBuilder<TInput, TEmbedding> builder, string pipelineKey)
        where TEmbedding : Embedding
    {
        Throw.IfNull(builder);
        Throw.IfNullOrWhitespace(pipelineKey);
        return builder.Use((innerGenerator, services) =>
        {
            var (pipeline, embeddings) = ModelResiliencePipelines.Resolve<GeneratedEmbeddings<TEmbedding>>(services, pipelineKey);
            return new ResilientEmbeddingGenerator<TInput, TEmbedding>(innerGenerator, pipeline, embeddings, services.GetService<TimeProvider>(), configurationPath: null);
        });
    }

    /// <summary>Adds resilience to the embedding generator pipeline with a Polly pipeline you built.</summary>
    /// <typeparam name="TInput">The type of the values embedded.</typeparam>
    /// <typeparam name="TEmbedding">The type of the embeddings generated.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="pipeline">The pipeline every call runs through.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<TInput, TEmbedding> UseResilience<TInput, TEmbedding>(
        this EmbeddingGeneratorBuilder<TInput, TEmbedding> builder, ResiliencePipeline pipeline)
        where TEmbedding : Embedding
    {
        Throw.IfNull(builder);
        Throw.IfNull(pipeline);
        return builder.Use((innerGenerator, services) => new ResilientEmbeddingGenerator<TInput, TEmbedding>(innerGenerator, pipeline, services.GetService<TimeProvider>()));
    }

    /// <summary>
    /// Adds resilience to the embedding generator pipeline with a typed Polly pipeline you built, for strategies that Polly
    /// offers only on typed pipelines (hedging, fallback).
    /// </summary>
    /// <typeparam name="TInput">The type of the values embedded.</typeparam>
    /// <typeparam name="TEmbedding">The type of the embeddings generated.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="embeddingsPipeline">The pipeline every call runs through.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<TInput, TEmbedding> UseResilience<TInput, TEmbedding>(
        this EmbeddingGeneratorBuilder<TInput, TEmbedding> builder, ResiliencePipeline<GeneratedEmbeddings<TEmbedding>> embeddingsPipeline)
        where TEmbedding : Embedding
    {
        Throw.IfNull(builder);
        Throw.IfNull(embeddingsPipeline);
        return builder.Use((innerGenerator, services) => new ResilientEmbeddingGenerator<TInput, TEmbedding>(
            innerGenerator, ResiliencePipeline.Empty, embeddingsPipeline, services.GetService<TimeProvider>(), configurationPath: null));
    }

    /// <summary>
    /// Adds resilience to the embedding generator pipeline with two Polly pipelines you built: every call runs through
    /// <paramref name="embeddingsPipeline"/> (typed: hedging, fallback), and each of its attempts through
    /// <paramref name="pipeline"/> (retries, timeouts, circuit breaker), as <c>AddAiEng</c> composes the two pipelines
    /// registered under a model's key.
    /// </summary>
    /// <typeparam name="TInput">The type of the values embedded.</typeparam>
    /// <typeparam name="TEmbedding">The type of the embeddings generated.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="pipeline">The untyped pipeline of every attempt.</param>
    /// <param name="embeddingsPipeline">The typed pipeline around <paramref name="pipeline"/>.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<TInput, TEmbedding> UseResilience<TInput, TEmbedding>(
        this EmbeddingGeneratorBuilder<TInput, TEmbedding> builder, ResiliencePipeline pipeline, ResiliencePipeline<GeneratedEmbeddings<TEmbedding>> embeddingsPipeline)
        where TEmbedding : Embedding
    {
        Throw.IfNull(builder);
        Throw.IfNull(pipeline);
        Throw.IfNull(embeddingsPipeline);
        return builder.Use((innerGenerator, services) => new ResilientEmbeddingGenerator<TInput, TEmbedding>(
            innerGenerator, pipeline, embeddingsPipeline, services.GetService<TimeProvider>(), configurationPath: null));
    }
}
