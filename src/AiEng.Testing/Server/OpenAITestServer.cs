using AiEng.Shared;

namespace AiEng.Testing;

/// <summary>
/// An OpenAI-compatible HTTP server on loopback (<c>127.0.0.1</c>, a free port) for tests of code that talks to OpenAI
/// or any compatible endpoint through a real client: <c>POST /v1/chat/completions</c> (JSON and server-sent events),
/// <c>POST /v1/embeddings</c> (float and base64 encodings), <c>GET /v1/models</c>, <c>/v1/files</c> (multipart uploads,
/// with malformed fine-tuning JSONL rejected) and <c>/v1/fine_tuning/jobs</c> (jobs that progress as a
/// <see cref="OpenAITestFineTuningScript"/> says, with events, checkpoints and cancellation) and <c>/v1/batches</c> (batches
/// of chat completions answered through the chat handler, ending as a <see cref="OpenAITestBatchScript"/> says). Answers come from callbacks; faults
/// (error statuses with <c>Retry-After</c>, delays, dropped connections, broken streams) are queued for the next requests.
/// </summary>
/// <remarks>
/// <para>Point a client at <see cref="BaseAddress"/>, for example:</para>
/// <code>
/// await using var server = await OpenAITestServer.StartAsync();
/// var client = new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions
/// {
///     Endpoint = server.BaseAddress,
///     RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
/// });
/// IChatClient chat = client.GetChatClient("test-chat").AsIChatClient();
/// </code>
/// <para>
/// The official OpenAI client retries 429 and 5xx responses and failed connections three times by default, honouring
/// <c>Retry-After</c>; every attempt consumes a queued fault. Set its <c>RetryPolicy</c> to
/// <c>new ClientRetryPolicy(maxRetries: 0)</c> to observe each fault as-is.
/// </para>
/// <para>The server is thread-safe: requests run concurrently, and handlers may be replaced while it runs.</para>
/// </remarks>
public sealed class OpenAITestServer : IAsyncDisposable
{
    /// <summary>The path of the chat completions endpoint.</summary>
    public const string ChatCompletionsPath = "/v1/chat/completions";

    /// <summary>The path of the embeddings endpoint.</summary>
    public const string EmbeddingsPath = "/v1/embeddings";

    /// <summary>The path of the models endpoint.</summary>
    public const string ModelsPath = "/v1/models";

    /// <summary>The path of the files endpoint (<c>POST</c> a multipart upload, <c>GET</c> the list, <c>GET /v1/files/{id}</c>).</summary>
    public const string FilesPath = "/v1/files";

    /// <summary>
    /// The path of the fine-tuning jobs endpoint (<c>POST</c> to create, <c>GET</c> to list, <c>GET .../{id}</c>,
    /// <c>GET .../{id}/events</c>, <c>GET .../{id}/checkpoints</c>, <c>POST .../{id}/cancel</c>).
    /// </summary>
    public const string FineTuningJobsPath = "/v1/fine_tuning/jobs";

    /// <summary>
    /// The path of the batches endpoint (<c>POST</c> to create, <c>GET</c> to list, <c>GET .../{id}</c>,
    /// <c>POST .../{id}/cancel</c>); batches run <see cref="ChatCompletionsPath"/> lines through <see cref="ChatHandler"/>.
    /// </summary>
    public const string BatchesPath = "/v1/batches";

    private readonly Lock _gate = new();
    private readonly List<QueuedFault> _faults = [];
    private readonly List<OpenAITestRecordedRequest> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly OpenAITestServerOptions _options;
    private TestHttpServer? _http;
    private Func<OpenAITestChatRequest, CancellationToken, ValueTask<OpenAITestChatReply>> _chatHandler;
    private Func<OpenAITestEmbeddingRequest, CancellationToken, ValueTask<IReadOnlyList<float[]>>> _embeddingHandler;
    private Func<OpenAITestFineTuningJobRequest, OpenAITestFineTuningScript> _fineTuningScript;
    private Func<OpenAITestFile, OpenAITestBatchScript> _batchScript = _ => new OpenAITestBatchScript();
    private int _requestCount;
    private long _nextId;

    private OpenAITestServer(OpenAITestServerOptions options)
    {
        _options = options;
        _chatHandler = options.ChatHandler ?? OpenAITestServerOptions.EchoAsync;
        _embeddingHandler = options.EmbeddingHandler ?? DefaultEmbeddingsAsync;
        _fineTuningScript = options.FineTuningScript ?? (_ => new OpenAITestFineTuningScript());
        FineTuning = new OpenAITestFineTuning(this);
        Batches = new OpenAITestBatches(this);
        RateLimit = options.RequestsPerMinute is int perMinute ? new OpenAITestRateLimit(perMinute, options.TimeProvider) : null;
        BaseAddress = new Uri("http://127.0.0.1/v1/");
    }

    /// <summary>Gets the base address of the API, ending in <c>/v1/</c>, for example <c>http://127.0.0.1:52341/v1/</c>.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>Gets or sets the handler that answers chat completions (see <see cref="OpenAITestServerOptions.ChatHandler"/>).</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public Func<OpenAITestChatRequest, CancellationToken, ValueTask<OpenAITestChatReply>> ChatHandler
    {
        get => Volatile.Read(ref _chatHandler);
        set => Volatile.Write(ref _chatHandler, Throw.IfNull(value));
    }

    /// <summary>Gets or sets the handler that computes embeddings (see <see cref="OpenAITestServerOptions.EmbeddingHandler"/>).</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public Func<OpenAITestEmbeddingRequest, CancellationToken, ValueTask<IReadOnlyList<float[]>>> EmbeddingHandler
    {
        get => Volatile.Read(ref _embeddingHandler);
        set => Volatile.Write(ref _embeddingHandler, Throw.IfNull(value));
    }

    /// <summary>Gets or sets how the fine-tuning jobs created from now on progress (see <see cref="OpenAITestServerOptions.FineTuningScript"/>).</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public Func<OpenAITestFineTuningJobRequest, OpenAITestFineTuningScript> FineTuningScript
    {
        get => Volatile.Read(ref _fineTuningScript);
        set => Volatile.Write(ref _fineTuningScript, Throw.IfNull(value));
    }

    /// <summary>
    /// Gets or sets how the batches created from now on progress, given the batch's input file; by default a batch is
    /// <c>in_progress</c> for one poll, then <c>completed</c>, with every line answered by <see cref="ChatHandler"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public Func<OpenAITestFile, OpenAITestBatchScript> BatchScript
    {
        get => Volatile.Read(ref _batchScript);
        set => Volatile.Write(ref _batchScript, Throw.IfNull(value));
    }

    /// <summary>Gets a snapshot of the files uploaded so far (<c>POST /v1/files</c>) and of the batches' output and error files, oldest first.</summary>
    public IReadOnlyList<OpenAITestFile> Files => FineTuning.Files;

    /// <summary>Gets the number of requests received so far, including failed and faulted ones.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Gets a snapshot of the requests received so far, oldest first.</summary>
    public IReadOnlyList<OpenAITestRecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Gets the number of queued faults not consumed yet.</summary>
    public int PendingFaultCount
    {
        get
        {
            lock (_gate)
            {
                return _faults.Sum(f => f.Remaining);
            }
        }
    }

    internal OpenAITestServerOptions Options => _options;

    /// <summary>Gets the files and fine-tuning endpoints and their state.</summary>
    internal OpenAITestFineTuning FineTuning { get; }

    /// <summary>Gets the batches endpoint and its state.</summary>
    internal OpenAITestBatches Batches { get; }

    /// <summary>Gets the server-side requests-per-minute limit, if <see cref="OpenAITestServerOptions.RequestsPerMinute"/> set one.</summary>
    internal OpenAITestRateLimit? RateLimit { get; }

    /// <summary>Gets how many chat completion and embeddings requests the server's <see cref="OpenAITestServerOptions.RequestsPerMinute"/> limit answered with <c>429</c>.</summary>
    public int RateLimitedCount => RateLimit?.Rejected ?? 0;

    /// <summary>Starts a server on <c>127.0.0.1</c> with a free port.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults. The server keeps a copy.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="OpenAITestServerOptions.EmbeddingDimensions"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><see cref="OpenAITestServerOptions.Models"/> contains an empty id.</exception>
    public static async Task<OpenAITestServer> StartAsync(OpenAITestServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var copy = (options ?? new OpenAITestServerOptions()).Clone();
        copy.Validate();
        var server = new OpenAITestServer(copy);

        var handler = new OpenAITestRequestHandler(server);
        server._http = await TestHttpServer.StartAsync(handler.HandleAsync, cancellationToken).ConfigureAwait(false);
        server.BaseAddress = new Uri(server._http.Address, "v1/");
        return server;
    }

    /// <summary>
    /// Queues a fault for the next request to <paramref name="path"/> (or to any path). Faults are consumed in the order
    /// they were queued; a request consumes the first one that matches its path.
    /// </summary>
    /// <param name="fault">The fault.</param>
    /// <param name="path">
    /// The path the fault applies to, such as <see cref="ChatCompletionsPath"/> or <c>embeddings</c> (relative to <c>/v1/</c>);
    /// <see langword="null"/> for any path.
    /// </param>
    /// <param name="count">How many consecutive matching requests the fault applies to. The default is 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fault"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1, or a value of <paramref name="fault"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="fault"/> sets more than one failure kind.</exception>
    public void EnqueueFault(OpenAITestFault fault, string? path = null, int count = 1)
    {
        Throw.IfNull(fault);
        Throw.IfLessThan(count, 1);
        fault.Validate();
        var normalized = path is null ? null : NormalizePath(path.StartsWith('/') ? path : "/v1/" + path);
        lock (_gate)
        {
            _faults.Add(new QueuedFault(fault, normalized) { Remaining = count });
        }
    }

    /// <summary>Removes every queued fault.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Forgets the recorded requests and resets <see cref="RequestCount"/>.</summary>
    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
            _requestCount = 0;
        }
    }

    /// <summary>Stops the server; requests still waiting on a fault delay are cancelled.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_http is { } http)
        {
            await http.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Collapses repeated slashes and removes a trailing slash, so that <c>/v1//embeddings/</c> matches <c>/v1/embeddings</c>.</summary>
    internal static string NormalizePath(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return "/" + string.Join('/', parts).ToLowerInvariant();
    }

    /// <summary>Gets a token that is cancelled when the server stops.</summary>
    internal CancellationToken Stopping => _stopping.Token;

    /// <summary>Records a request and returns the fault it consumes, if any.</summary>
    internal OpenAITestFault? Record(OpenAITestRecordedRequest request, string normalizedPath)
    {
        lock (_gate)
        {
            _requests.Add(request);
            _requestCount++;
            for (var i = 0; i < _faults.Count; i++)
            {
                var queued = _faults[i];
                if (queued.Path is null || queued.Path == normalizedPath)
                {
                    if (--queued.Remaining == 0)
                    {
                        _faults.RemoveAt(i);
                    }

                    return queued.Fault;
                }
            }
        }

        return null;
    }

    /// <summary>Returns a new response id with <paramref name="prefix"/>, for example <c>chatcmpl-test-1</c>.</summary>
    internal string NextId(string prefix) => FormattableString.Invariant($"{prefix}-test-{Interlocked.Increment(ref _nextId)}");

    private ValueTask<IReadOnlyList<float[]>> DefaultEmbeddingsAsync(OpenAITestEmbeddingRequest request, CancellationToken cancellationToken)
    {
        var dimensions = request.Dimensions ?? _options.EmbeddingDimensions;
        IReadOnlyList<float[]> vectors = [.. request.Inputs.Select(input => TestVectors.HashedBagOfWords(input, dimensions))];
        return ValueTask.FromResult(vectors);
    }

    private sealed class QueuedFault(OpenAITestFault fault, string? path)
    {
        public OpenAITestFault Fault { get; } = fault;

        public string? Path { get; } = path;

        public int Remaining { get; set; }
    }
}
