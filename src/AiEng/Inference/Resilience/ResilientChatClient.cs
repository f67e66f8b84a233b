using System.Runtime.CompilerServices;
using AiEng.Providers;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;

namespace AiEng.Inference;

/// <summary>
/// A chat client middleware that makes calls resilient with Polly: retries transient failures with exponential backoff
/// and jitter (honouring the provider's <c>Retry-After</c>), bounds each attempt and the whole call with timeouts, and
/// opens a circuit breaker after repeated failures. See <see cref="ResilienceOptions"/> for what is retried and the defaults.
/// </summary>
/// <remarks>
/// <para>
/// Client errors (HTTP 400, 401, 403, 404 and other 4xx except 408 and 429) are not retried: they surface at once as a
/// <see cref="ModelRequestException"/> whose message says how to fix them. So do transient failures that remain after
/// the last retry, timeouts and calls rejected by the open circuit. A cancellation requested through the caller's token
/// propagates at once as an <see cref="OperationCanceledException"/>. Other exceptions propagate unchanged.
/// </para>
/// <para>
/// Streaming: an attempt is retried only until the stream has produced its first update; the timeouts bound that time
/// too. Once an update has been yielded to the caller, a failure propagates unchanged (a retry would repeat output the
/// caller has already seen), and only the caller's token bounds the rest of the stream.
/// </para>
/// <para>
/// Built from options, the Polly pipeline (and so the circuit breaker's state) belongs to the instance; given a pipeline (as
/// <c>AddAiEng</c> gives each model its pipeline from Polly's registry), it shares that pipeline. The messages are sent again on
/// each attempt, so they must be enumerable more than once (lists and arrays are).
/// </para>
/// <para>
/// A typed <see cref="ResiliencePipeline{T}"/> of <see cref="ChatResponse"/> (hedging, fallback: strategies Polly offers only
/// on typed pipelines) runs <see cref="GetResponseAsync"/> calls around the untyped pipeline: each of its attempts goes through
/// the untyped one. Hedged attempts run concurrently with the same messages and options, which they only read (as MEAI's
/// clients do), each with its own cancellation token; the typed pipeline's strategies find them in the context
/// (<see cref="ModelResilienceProperties"/>). Streaming calls do not go through the typed pipeline: its
/// strategies judge and produce whole responses, while a stream's caller sees output before the response is complete.
/// </para>
/// </remarks>
public sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly ModelCallResilience _resilience;
    private readonly ResiliencePipeline<ChatResponse>? _responsePipeline;

    /// <summary>Initializes a new instance of the <see cref="ResilientChatClient"/> class.</summary>
    /// <param name="innerClient">The client whose calls are made resilient.</param>
    /// <param name="options">The options, read once here and not kept; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The source of time for delays, timeouts and the circuit breaker; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Creates the logger for retries and circuit changes; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value of <paramref name="options"/> is out of range; the message names it and the allowed range.</exception>
    public ResilientChatClient(IChatClient innerClient, ResilienceOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : base(Throw.IfNull(innerClient))
    {
        var metadata = innerClient.GetService<ChatClientMetadata>();
        _resilience = new ModelCallResilience(options, ModelKind.Chat, metadata?.ProviderName, metadata?.DefaultModelId, timeProvider, loggerFactory, typeof(ResilientChatClient));
    }

    /// <summary>Initializes a new instance of the <see cref="ResilientChatClient"/> class that runs every call through <paramref name="pipeline"/>, with the system clock.</summary>
    /// <param name="innerClient">The client whose calls are made resilient.</param>
    /// <param name="pipeline">The pipeline; its strategies decide what is retried or rejected.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    public ResilientChatClient(IChatClient innerClient, ResiliencePipeline pipeline)
        : this(innerClient, Throw.IfNull(pipeline), responsePipeline: null, timeProvider: null, configurationPath: null)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ResilientChatClient"/> class that runs every call through
    /// <paramref name="pipeline"/>, for example one from Polly's registry or one built with
    /// <see cref="ModelResiliencePipelineBuilderExtensions.AddModelResilience"/> plus your own strategies.
    /// </summary>
    /// <param name="innerClient">The client whose calls are made resilient.</param>
    /// <param name="pipeline">The pipeline; its strategies decide what is retried or rejected, and it is shared with whoever else uses it.</param>
    /// <param name="timeProvider">The clock used to read <c>Retry-After</c> HTTP-dates in error messages; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Final failures become <see cref="ModelRequestException"/> as with the options constructor; its
    /// <see cref="ModelRequestException.Attempts"/> counts the retries of AiEng's retry strategy (1 when the pipeline has none).
    /// </remarks>
    public ResilientChatClient(IChatClient innerClient, ResiliencePipeline pipeline, TimeProvider? timeProvider)
        : this(innerClient, Throw.IfNull(pipeline), responsePipeline: null, timeProvider, configurationPath: null)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ResilientChatClient"/> class that runs <see cref="GetResponseAsync"/>
    /// calls through a typed pipeline, for example one with Polly's hedging or fallback, around <paramref name="pipeline"/>;
    /// streaming calls run through <paramref name="pipeline"/> alone.
    /// </summary>
    /// <param name="innerClient">The client whose calls are made resilient.</param>
    /// <param name="pipeline">
    /// The untyped pipeline: it runs each attempt of <paramref name="responsePipeline"/> (so its retries, timeouts and
    /// circuit breaker apply to each hedged attempt) and every streaming call; <see langword="null"/> for none.
    /// </param>
    /// <param name="responsePipeline">The typed pipeline of non-streaming calls.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="responsePipeline"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// The callback the typed pipeline runs can be invoked several times, also concurrently (hedging): each attempt sends
    /// the same messages and options with the cancellation token of its own <see cref="ResilienceContext"/>, so an attempt
    /// that loses a hedge is cancelled alone. Final failures become <see cref="ModelRequestException"/> as with the other
    /// constructors (<c>Retry-After</c> HTTP-dates in their messages are read with the system clock; <c>UseResilience</c>
    /// uses the <see cref="TimeProvider"/> of the builder's services); a fallback's result is returned as it is.
    /// </remarks>
    public ResilientChatClient(IChatClient innerClient, ResiliencePipeline? pipeline, ResiliencePipeline<ChatResponse> responsePipeline)
        : this(innerClient, pipeline ?? ResiliencePipeline.Empty, Throw.IfNull(responsePipeline), timeProvider: null, configurationPath: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ResilientChatClient"/> class around pipelines, naming the model's configuration section in errors.</summary>
    internal ResilientChatClient(
        IChatClient innerClient, ResiliencePipeline pipeline, ResiliencePipeline<ChatResponse>? responsePipeline, TimeProvider? timeProvider, string? configurationPath)
        : base(Throw.IfNull(innerClient))
    {
        Throw.IfNull(pipeline);
        var metadata = innerClient.GetService<ChatClientMetadata>();
        _resilience = new ModelCallResilience(pipeline, ModelKind.Chat, metadata?.ProviderName, metadata?.DefaultModelId, configurationPath, timeProvider);
        _responsePipeline = responsePipeline;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelRequestException">The provider rejected the request, retries were exhausted, the call timed out, or the circuit is open.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(messages);
        var state = (Inner: InnerClient, Messages: messages, Options: options);
        return _responsePipeline is null
            ? _resilience.ExecuteAsync(GetResponse, state, options?.ModelId, cancellationToken)
            : _resilience.ExecuteAsync(_responsePipeline, Describe, GetResponse, state, options?.ModelId, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelRequestException">Before the first update: the provider rejected the request, retries were exhausted, the call timed out, or the circuit is open. After it: the stream broke (a connection or I/O failure), which is not retried.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>A typed pipeline given for <see cref="GetResponseAsync"/> (hedging, fallback) does not apply here; the untyped pipeline does, until the first update.</remarks>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Throw.IfNull(messages);
        var stream = await _resilience.StartStreamAsync(
            static (state, token) => state.Inner.GetStreamingResponseAsync(state.Messages, state.Options, token),
            (Inner: InnerClient, Messages: messages, Options: options),
            options?.ModelId,
            cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (!stream.HasItem)
            {
                yield break;
            }

            yield return stream.Enumerator.Current;
            int updates = 1;
            while (true)
            {
                bool more;
                try
                {
                    more = await stream.Enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception exception) when (_resilience.StreamBroken(exception, options?.ModelId, updates, cancellationToken) is { } broken)
                {
                    throw broken;
                }

                if (!more)
                {
                    break;
                }

                updates++;
                yield return stream.Enumerator.Current;
            }
        }
    }

    /// <summary>Puts the request in the context of a typed pipeline, for a fallback or hedged attempt that sends it to another model.</summary>
    private static void Describe(ResilienceProperties properties, (IChatClient Inner, IEnumerable<ChatMessage> Messages, ChatOptions? Options) state)
    {
        properties.Set(ModelResilienceProperties.ChatMessages, state.Messages);
        properties.Set(ModelResilienceProperties.ChatOptions, state.Options);
    }

    /// <summary>Makes one attempt of a non-streaming call with the attempt's token.</summary>
    private static Task<ChatResponse> GetResponse((IChatClient Inner, IEnumerable<ChatMessage> Messages, ChatOptions? Options) state, CancellationToken cancellationToken) =>
        state.Inner.GetResponseAsync(state.Messages, state.Options, cancellationToken);
}
