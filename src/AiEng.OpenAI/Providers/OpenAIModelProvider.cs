using System.ClientModel;
using System.ClientModel.Primitives;
using AiEng.Inference;
using AiEng.Providers;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AiEng.OpenAI;

/// <summary>
/// Serves chat and embedding models of any OpenAI-compatible endpoint through the official OpenAI client and
/// <c>Microsoft.Extensions.AI.OpenAI</c>: OpenAI itself, Azure OpenAI's v1 API
/// (<c>https://&lt;resource&gt;.openai.azure.com/openai/v1/</c>, with the deployment name as the model), Ollama's
/// <c>/v1</c>, vLLM, llama.cpp server and LM Studio. Its name is <c>OpenAI</c>; register it with <c>AddOpenAI()</c>.
/// </summary>
/// <remarks>
/// <para>Configuration (for example the section <c>AiEng:Chat</c>):</para>
/// <list type="bullet">
/// <item><description><c>Model</c> (required): the model id, such as <c>gpt-4o-mini</c> or <c>text-embedding-3-small</c>.</description></item>
/// <item><description><c>Endpoint</c>: the API's base URL; the default is <see cref="DefaultEndpoint"/>.</description></item>
/// <item><description>
/// <c>ApiKey</c>: sent as <c>Authorization: Bearer</c>. Required for OpenAI's and Azure OpenAI's endpoints; optional for local
/// servers, which get the placeholder <c>no-key</c> when it is not set.
/// </description></item>
/// <item><description><c>Settings:Organization</c>, <c>Settings:Project</c>: OpenAI's organization and project ids.</description></item>
/// <item><description><c>Settings:Dimensions</c> (embeddings): the number of dimensions to ask for, for models that support it.</description></item>
/// </list>
/// <para>
/// HTTP goes through the <see cref="HttpClient"/> named <see cref="HttpClientName"/> (<c>AiEng.OpenAI</c>) from the host's
/// <see cref="IHttpClientFactory"/>, so the application adds handlers, a proxy or its own resilience with
/// <c>services.AddHttpClient("AiEng.OpenAI").AddHttpMessageHandler(...)</c>; without a factory in the services, the OpenAI
/// client's own transport is used.
/// </para>
/// <para>
/// The OpenAI client's built-in retries are turned off: AiEng adds its own resilience middleware (with <c>Retry-After</c>
/// awareness) around every model, and two retry layers would multiply attempts and hide the real error rate.
/// </para>
/// </remarks>
public sealed class OpenAIModelProvider : ModelProvider
{
    /// <summary>The provider name, <c>OpenAI</c>.</summary>
    public const string ProviderName = "OpenAI";

    /// <summary>The endpoint used when none is configured, <c>https://api.openai.com/v1</c>.</summary>
    public const string DefaultEndpoint = "https://api.openai.com/v1";

    /// <summary>
    /// The name of the <see cref="HttpClient"/> every OpenAI model's requests go through, <c>AiEng.OpenAI</c>: configure it with
    /// <c>services.AddHttpClient(OpenAIModelProvider.HttpClientName)</c> to add handlers.
    /// </summary>
    public const string HttpClientName = "AiEng.OpenAI";

    /// <summary>OpenAI's limit of inputs in one embeddings request: 2,048.</summary>
    public const int MaxInputsPerRequest = 2048;

    /// <summary>OpenAI's limit of tokens, summed over the inputs, in one embeddings request: 300,000.</summary>
    public const int MaxTokensPerRequest = 300_000;

    /// <summary>The limit of tokens in one input of OpenAI's embedding models (<c>text-embedding-3-*</c>, <c>text-embedding-ada-002</c>): 8,191.</summary>
    public const int MaxTokensPerInput = 8191;

    /// <summary>How many embedding requests a caller has in flight at once by default: 4, enough to overlap the network's latency without flooding the account's rate limits (a 429 is retried by AiEng's resilience).</summary>
    public const int DefaultMaxParallelRequests = 4;

    /// <summary>The API key sent to endpoints that need none (local servers), because the client always sends one.</summary>
    internal const string PlaceholderApiKey = "no-key";

    private const string EndpointExample = "http://localhost:11434/v1";

    /// <inheritdoc />
    public override string Name => ProviderName;

    /// <inheritdoc />
    public override bool Supports(ModelKind kind) => kind is ModelKind.Chat or ModelKind.Embeddings;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="options"/>, <paramref name="configurationPath"/> or <paramref name="errors"/> is <see langword="null"/>.</exception>
    public override void Validate(ModelOptions options, ModelKind kind, string configurationPath, ICollection<string> errors)
    {
        Throw.IfNull(options);
        Throw.IfNull(configurationPath);
        Throw.IfNull(errors);

        ModelOptionsChecks.RequireModel(options, ProviderName, configurationPath, kind == ModelKind.Embeddings ? "text-embedding-3-small" : "gpt-4o-mini", errors);
        var endpoint = ModelOptionsChecks.CheckEndpoint(options, DefaultEndpoint, configurationPath, EndpointExample, errors);
        if (endpoint is not null && string.IsNullOrWhiteSpace(options.ApiKey) && NeedsApiKey(endpoint))
        {
            errors.Add($"{configurationPath}:ApiKey is required for the endpoint {endpoint.GetLeftPart(UriPartial.Authority)}: set it, for example with the environment variable {ModelOptionsChecks.EnvironmentVariable(configurationPath, "ApiKey")}=sk-... (it is never logged), or point {configurationPath}:Endpoint at a local server such as '{EndpointExample}'.");
        }

        if (kind == ModelKind.Embeddings)
        {
            ModelOptionsChecks.CheckPositiveInt(options, "Dimensions", configurationPath, "256", errors);
        }
        else if (options.Settings.ContainsKey("Dimensions"))
        {
            errors.Add($"{configurationPath}:Settings:Dimensions applies to embedding models only; remove it from this chat model's settings.");
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid (see <see cref="Validate"/>).</exception>
    public override IChatClient CreateChatClient(ModelOptions options, IServiceProvider services)
    {
        Throw.IfNull(options);
        Throw.IfNull(services);
        var client = CreateClient(options, ModelKind.Chat, services);
        return client.GetChatClient(options.Model!.Trim()).AsIChatClient();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid (see <see cref="Validate"/>).</exception>
    public override IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(ModelOptions options, IServiceProvider services)
    {
        Throw.IfNull(options);
        Throw.IfNull(services);
        var client = CreateClient(options, ModelKind.Embeddings, services);
        var dimensions = ModelOptionsChecks.CheckPositiveInt(options, "Dimensions", "(options)", "256", []);
        return client.GetEmbeddingClient(options.Model!.Trim()).AsIEmbeddingGenerator(dimensions);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// OpenAI's published limits of the embeddings API: at most <see cref="MaxInputsPerRequest"/> (2,048) inputs and
    /// <see cref="MaxTokensPerRequest"/> (300,000) tokens summed over the inputs of one request, and for OpenAI's embedding
    /// models (<c>text-embedding-3-small</c>, <c>text-embedding-3-large</c>, <c>text-embedding-ada-002</c>)
    /// <see cref="MaxTokensPerInput"/> (8,191) tokens per input, counted in their <c>cl100k_base</c> encoding. An input over
    /// it is an error before anything is sent, as OpenAI rejects it rather than truncating it. Other models behind an
    /// OpenAI-compatible endpoint get the per-request limits only (their tokens counted with the application's
    /// <c>ITokenCounter</c>, an estimate). <see cref="DefaultMaxParallelRequests"/> (4) requests in flight at once. Each
    /// value is overridden by the model's setting of the same name, for example <c>AiEng:Embeddings:Settings:MaxParallelRequests</c>.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public override EmbeddingRequestLimits? GetEmbeddingRequestLimits(ModelOptions options)
    {
        Throw.IfNull(options);
        string model = options.Model?.Trim() ?? string.Empty;
        bool openAIModel = model.StartsWith("text-embedding-3-", StringComparison.OrdinalIgnoreCase)
            || model.Equals("text-embedding-ada-002", StringComparison.OrdinalIgnoreCase);
        return new EmbeddingRequestLimits
        {
            MaxInputsPerRequest = MaxInputsPerRequest,
            MaxTokensPerRequest = MaxTokensPerRequest,
            MaxTokensPerInput = openAIModel ? MaxTokensPerInput : null,
            MaxParallelRequests = DefaultMaxParallelRequests,
            TokenCounter = openAIModel ? TiktokenTokenCounter.Cl100kBase : null,
        };
    }

    /// <summary>Gets a value indicating whether <paramref name="endpoint"/> is a hosted service that rejects requests without a key.</summary>
    private static bool NeedsApiKey(Uri endpoint) =>
        endpoint.Host.Equals("api.openai.com", StringComparison.OrdinalIgnoreCase)
        || endpoint.Host.EndsWith(".openai.azure.com", StringComparison.OrdinalIgnoreCase);

    private OpenAIClient CreateClient(ModelOptions options, ModelKind kind, IServiceProvider services)
    {
        ModelOptionsChecks.ThrowIfInvalid(errors => Validate(options, kind, "(options)", errors), nameof(options));
        return CreateOpenAIClient(options, services, options.Model!.Trim());
    }

    /// <summary>
    /// Creates the OpenAI client of already validated options: their endpoint, API key (or the placeholder), organization and
    /// project, the client's retries off, and the named <see cref="HttpClient"/> when the services have a factory. Shared with
    /// the fine-tuning and batch clients, so all reach the endpoint the same way.
    /// </summary>
    /// <param name="options">The validated options.</param>
    /// <param name="services">The application's services.</param>
    /// <param name="model">
    /// The model the client sends to, whose responses' rate-limit headers are reported to its <see cref="ModelRateLimiter"/>
    /// (from the services' <see cref="ModelRateLimiters"/>); <see langword="null"/> for a client of no one model.
    /// </param>
    internal static OpenAIClient CreateOpenAIClient(ModelOptions options, IServiceProvider services, string? model = null)
    {
        var endpoint = string.IsNullOrWhiteSpace(options.Endpoint) ? DefaultEndpoint : options.Endpoint.Trim();
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = new Uri(endpoint),

            // AiEng's resilience middleware retries; see the remarks of this type.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (services.GetService(typeof(IHttpClientFactory)) is IHttpClientFactory httpClients)
        {
            // The host's handlers, proxy and resilience configured for the named client apply to every request.
            clientOptions.Transport = new HttpClientPipelineTransport(httpClients.CreateClient(HttpClientName));
        }

        if (options.Settings.TryGetValue("Organization", out var organization) && !string.IsNullOrWhiteSpace(organization))
        {
            clientOptions.OrganizationId = organization.Trim();
        }

        if (options.Settings.TryGetValue("Project", out var project) && !string.IsNullOrWhiteSpace(project))
        {
            clientOptions.ProjectId = project.Trim();
        }

        if (model is not null && services.GetService(typeof(ModelRateLimiters)) is ModelRateLimiters limiters)
        {
            // Per try, so that each attempt's headers (a 429's Retry-After among them) reach the limiter.
            clientOptions.AddPolicy(new RateLimitHeadersPolicy(limiters, model), PipelinePosition.PerTry);
        }

        var apiKey = string.IsNullOrWhiteSpace(options.ApiKey) ? PlaceholderApiKey : options.ApiKey.Trim();
        return new OpenAIClient(new ApiKeyCredential(apiKey), clientOptions);
    }
}
