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
/// </remarks>
public sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly ModelCallResilience _resilience;

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
    /// <param name="pipeline">The pipeline; its strategies decide what is retried, hedged or rejected.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    public ResilientChatClient(IChatClient innerClient, ResiliencePipeline pipeline)
        : this(innerClient, pipeline, timeProvider: null, configurationPath: null)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ResilientChatClient"/> class that runs every call through
    /// <paramref name="pipeline"/>, for example one from Polly's registry or one built with
    /// <see cref="ModelResiliencePipelineBuilderExtensions.AddModelResilience"/> plus your own strategies.
    /// </summary>
    /// <param name="innerClient">The client whose calls are made resilient.</param>
    /// <param name="pipeline">The pipeline; its strategies decide what is retried, hedged or rejected, and it is shared with whoever else uses it.</param>
    /// <param name="timeProvider">The clock used to read <c>Retry-After</c> HTTP-dates in error messages; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Final failures become <see cref="ModelRequestException"/> as with the options constructor; its
    /// <see cref="ModelRequestException.Attempts"/> counts the retries of AiEng's retry strategy (1 when the pipeline has none).
    /// </remarks>
    public ResilientChatClient(IChatClient innerClient, ResiliencePipeline pipeline, TimeProvider? timeProvider)
        : this(innerClient, pipeline, timeProvider, configurationPath: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ResilientChatClient"/> class around a pipeline, naming the model's configuration section in errors.</summary>
    internal ResilientChatClient(IChatClient innerClient, ResiliencePipeline pipeline, TimeProvider? timeProvider, string? configurationPath)
        : base(Throw.IfNull(innerClient))
    {
        Throw.IfNull(pipeline);
        var metadata = innerClient.GetService<ChatClientMetadata>();
        _resilience = new ModelCallResilience(pipeline, ModelKind.Chat, metadata?.ProviderName, metadata?.DefaultModelId, configurationPath, timeProvider);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelRequestException">The provider rejected the request, retries were exhausted, the call timed out, or the circuit is open.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(messages);
        return _resilience.ExecuteAsync(
            static (state, token) => state.Inner.GetResponseAsync(state.Messages, state.Options, token),
            (Inner: InnerClient, Messages: messages, Options: options),
            options?.ModelId,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelRequestException">Before the first update: the provider rejected the request, retries were exhausted, the call timed out, or the circuit is open.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
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
            while (await stream.Enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                yield return stream.Enumerator.Current;
            }
        }
    }
}
