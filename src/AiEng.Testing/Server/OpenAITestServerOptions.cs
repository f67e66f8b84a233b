using AiEng.Shared;

namespace AiEng.Testing;

/// <summary>Options of <see cref="OpenAITestServer"/>; every property has a working default.</summary>
public sealed class OpenAITestServerOptions
{
    /// <summary>
    /// Gets or sets the handler that answers chat completions. The default answers <c>Echo: </c> followed by the last user
    /// message, with word counts as token usage.
    /// </summary>
    public Func<OpenAITestChatRequest, CancellationToken, ValueTask<OpenAITestChatReply>>? ChatHandler { get; set; }

    /// <summary>
    /// Gets or sets the handler that computes embeddings: one vector per input, in order. The default returns
    /// <see cref="TestVectors.HashedBagOfWords"/> of each input with the requested dimensions, or <see cref="EmbeddingDimensions"/>.
    /// </summary>
    public Func<OpenAITestEmbeddingRequest, CancellationToken, ValueTask<IReadOnlyList<float[]>>>? EmbeddingHandler { get; set; }

    /// <summary>
    /// Gets or sets how each fine-tuning job created on the server progresses, chosen from its creation request. The default
    /// gives every job a new <see cref="OpenAITestFineTuningScript"/>: queued for one poll, running for two, then succeeded.
    /// </summary>
    public Func<OpenAITestFineTuningJobRequest, OpenAITestFineTuningScript>? FineTuningScript { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether an upload with purpose <c>fine-tune</c> is rejected with <c>400</c>
    /// (<c>invalid_file_format</c>, naming the line) unless every non-empty line is a JSON object with a <c>messages</c>
    /// array (or, for preference data, an <c>input</c> object with one), as OpenAI checks uploads. The default is
    /// <see langword="true"/>.
    /// </summary>
    public bool RejectMalformedFineTuningFiles { get; set; } = true;

    /// <summary>Gets or sets the number of dimensions of the default embeddings. The default is 64.</summary>
    public int EmbeddingDimensions { get; set; } = 64;

    /// <summary>Gets or sets the model ids listed by <c>GET /v1/models</c>. The default is <c>test-chat</c> and <c>test-embeddings</c>.</summary>
    public IList<string> Models { get; set; } = ["test-chat", "test-embeddings"];

    /// <summary>
    /// Gets or sets the API key the server requires as <c>Authorization: Bearer &lt;key&gt;</c>; requests without it get
    /// <c>401</c> with OpenAI's <c>invalid_api_key</c> error. The default, <see langword="null"/>, accepts every request.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets or sets the clock used for <c>created</c> timestamps, request timestamps and fault delays. The default is
    /// <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets how long the server waits before answering each chat completion and embeddings request (after the
    /// rate limit admitted it), to stand in for a model's latency. The default is zero.
    /// </summary>
    public TimeSpan ResponseLatency { get; set; }

    /// <summary>
    /// Gets or sets a server-side limit of chat completion and embeddings requests per minute, enforced as OpenAI does:
    /// a bucket of a second's worth of requests (at least one) refilled continuously. A request over it gets <c>429</c>
    /// with <c>Retry-After</c> and <c>retry-after-ms</c>; every answer of those endpoints carries
    /// <c>x-ratelimit-limit-requests</c>, <c>x-ratelimit-remaining-requests</c> and <c>x-ratelimit-reset-requests</c>.
    /// <see cref="OpenAITestServer.RateLimitedCount"/> counts the 429s. The default, <see langword="null"/>, has no limit.
    /// </summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Creates a copy, so that the server never sees later changes to the caller's options.</summary>
    internal OpenAITestServerOptions Clone() => new()
    {
        ChatHandler = ChatHandler,
        EmbeddingHandler = EmbeddingHandler,
        FineTuningScript = FineTuningScript,
        RejectMalformedFineTuningFiles = RejectMalformedFineTuningFiles,
        EmbeddingDimensions = EmbeddingDimensions,
        Models = [.. Models],
        ApiKey = ApiKey,
        TimeProvider = TimeProvider,
        ResponseLatency = ResponseLatency,
        RequestsPerMinute = RequestsPerMinute,
    };

    /// <summary>Checks the options.</summary>
    internal void Validate()
    {
        Throw.IfLessThan(EmbeddingDimensions, 1);
        Throw.IfNull(Models);
        Throw.IfNull(TimeProvider);
        if (ResponseLatency < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ResponseLatency), ResponseLatency, "The response latency cannot be negative.");
        }

        if (RequestsPerMinute is int perMinute)
        {
            Throw.IfLessThan(perMinute, 1, nameof(RequestsPerMinute));
        }
        if (Models.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Model ids cannot be empty.", nameof(Models));
        }
    }

    /// <summary>The default chat handler: an echo of the last user message.</summary>
    internal static ValueTask<OpenAITestChatReply> EchoAsync(OpenAITestChatRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new OpenAITestChatReply("Echo: " + request.LastUserMessage));
}
