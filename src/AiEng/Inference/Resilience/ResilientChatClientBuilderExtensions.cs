using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;

namespace Microsoft.Extensions.AI;

/// <summary>Adds <see cref="ResilientChatClient"/> to a chat client pipeline.</summary>
public static class ResilientChatClientBuilderExtensions
{
    /// <summary>
    /// Adds resilience to the chat client pipeline with the options registered as <c>IOptions&lt;ResilienceOptions&gt;</c>
    /// (bound from <c>AiEng:Resilience</c> by <c>AddAiEng</c>) or the defaults; see <see cref="UseResilience(ChatClientBuilder, Action{ResilienceOptions})"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder UseResilience(this ChatClientBuilder builder) => UseResilience(builder, configure: null);

    /// <summary>
    /// Adds resilience to the chat client pipeline: retries of transient failures with exponential backoff, jitter and
    /// <c>Retry-After</c>, per-attempt and total timeouts, and a circuit breaker (see <see cref="ResilienceOptions"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">
    /// Changes the options of this pipeline. It receives a copy of the registered <c>IOptions&lt;ResilienceOptions&gt;</c>
    /// value (bound from <c>AiEng:Resilience</c> by <c>AddAiEng</c>) or the defaults; the registered value is never changed.
    /// </param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// The pipeline belongs to this client alone (it is not in Polly's registry); use <see cref="UseResilience(ChatClientBuilder, string)"/>
    /// to share a registered one. <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> are taken from the builder's
    /// services when registered; AiEng logs retries and circuit changes itself. The options are validated when the pipeline
    /// is built: <c>Build</c> throws <see cref="ArgumentException"/> for a value out of range.
    /// </remarks>
    public static ChatClientBuilder UseResilience(this ChatClientBuilder builder, Action<ResilienceOptions>? configure)
    {
        Throw.IfNull(builder);
        return builder.Use((innerClient, services) => new ResilientChatClient(
            innerClient,
            ResilienceOptions.Resolve(services, configure),
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>()));
    }

    /// <summary>
    /// Adds resilience to the chat client pipeline with the Polly pipeline registered under <paramref name="pipelineKey"/>
    /// (<c>services.AddResiliencePipeline(pipelineKey, ...)</c> from Polly.Extensions), for example one of AiEng's
    /// (<see cref="ModelResiliencePipelines.ChatKey"/>) or one of your own (rate limiting, your own retries).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="pipelineKey">The key of the pipeline in the <c>ResiliencePipelineProvider&lt;string&gt;</c> of the builder's services.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pipelineKey"/> is empty or whitespace.</exception>
    /// <remarks>
    /// <para>
    /// A typed pipeline of <see cref="ChatResponse"/> registered under the same key
    /// (<c>services.AddResiliencePipeline&lt;string, ChatResponse&gt;(pipelineKey, ...)</c>, for hedging or fallback) runs
    /// the non-streaming calls around the untyped one, as with
    /// <see cref="UseResilience(ChatClientBuilder, ResiliencePipeline, ResiliencePipeline{ChatResponse})"/>; either may be
    /// registered alone.
    /// </para>
    /// <para>
    /// The pipelines are resolved when the client is built: <c>Build</c> throws <see cref="InvalidOperationException"/> when
    /// none is registered under the key. Polly's telemetry of registered pipelines is on (Polly.Extensions).
    /// </para>
    /// </remarks>
    public static ChatClientBuilder UseResilience(this ChatClientBuilder builder, string pipelineKey)
    {
        Throw.IfNull(builder);
        Throw.IfNullOrWhitespace(pipelineKey);
        return builder.Use((innerClient, services) =>
        {
            var (pipeline, responses) = ModelResiliencePipelines.Resolve<ChatResponse>(services, pipelineKey);
            return new ResilientChatClient(innerClient, pipeline, responses, services.GetService<TimeProvider>(), configurationPath: null);
        });
    }

    /// <summary>Adds resilience to the chat client pipeline with a Polly pipeline you built, for example with <see cref="ModelResiliencePipelineBuilderExtensions.AddModelResilience"/> and your own strategies.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="pipeline">The pipeline every call runs through.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder UseResilience(this ChatClientBuilder builder, ResiliencePipeline pipeline)
    {
        Throw.IfNull(builder);
        Throw.IfNull(pipeline);
        return builder.Use((innerClient, services) => new ResilientChatClient(innerClient, pipeline, services.GetService<TimeProvider>()));
    }

    /// <summary>
    /// Adds resilience to the chat client pipeline with a typed Polly pipeline you built, for strategies that Polly offers
    /// only on typed pipelines (hedging, fallback): <see cref="IChatClient.GetResponseAsync"/> calls run through it;
    /// streaming calls do not (they only get their final failure reported as a <see cref="ModelRequestException"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="responsePipeline">The pipeline the non-streaming calls run through.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>
    /// To keep retries, timeouts and a circuit breaker for every attempt and for streams, use
    /// <see cref="UseResilience(ChatClientBuilder, ResiliencePipeline, ResiliencePipeline{ChatResponse})"/>.
    /// </remarks>
    public static ChatClientBuilder UseResilience(this ChatClientBuilder builder, ResiliencePipeline<ChatResponse> responsePipeline)
    {
        Throw.IfNull(builder);
        Throw.IfNull(responsePipeline);
        return builder.Use((innerClient, services) => new ResilientChatClient(
            innerClient, ResiliencePipeline.Empty, responsePipeline, services.GetService<TimeProvider>(), configurationPath: null));
    }

    /// <summary>
    /// Adds resilience to the chat client pipeline with two Polly pipelines you built: <paramref name="responsePipeline"/>
    /// (typed: hedging, fallback) runs the non-streaming calls, and each of its attempts runs through
    /// <paramref name="pipeline"/> (retries, timeouts, circuit breaker), which also runs the streaming calls until their
    /// first update. This is how <c>AddAiEng</c> composes the two pipelines registered under a model's key.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="pipeline">The untyped pipeline of every attempt and of streaming calls, for example one built with <see cref="ModelResiliencePipelineBuilderExtensions.AddModelResilience"/>.</param>
    /// <param name="responsePipeline">The typed pipeline around <paramref name="pipeline"/> for the non-streaming calls.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder UseResilience(this ChatClientBuilder builder, ResiliencePipeline pipeline, ResiliencePipeline<ChatResponse> responsePipeline)
    {
        Throw.IfNull(builder);
        Throw.IfNull(pipeline);
        Throw.IfNull(responsePipeline);
        return builder.Use((innerClient, services) => new ResilientChatClient(
            innerClient, pipeline, responsePipeline, services.GetService<TimeProvider>(), configurationPath: null));
    }
}
