using System.Net.Http.Headers;
using AiEng.Providers;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using OllamaSharp;

namespace AiEng.Ollama;

/// <summary>
/// Serves chat and embedding models of an Ollama server through its native API (<c>/api/chat</c>, <c>/api/embed</c>) with
/// OllamaSharp, whose <c>OllamaApiClient</c> implements <see cref="IChatClient"/> and
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>. Its name is <c>Ollama</c>; register it with <c>AddOllama()</c>.
/// </summary>
/// <remarks>
/// <para>Configuration (for example the section <c>AiEng:Chat</c>):</para>
/// <list type="bullet">
/// <item><description><c>Model</c> (required): a pulled model, such as <c>llama3.2</c> or <c>nomic-embed-text</c>.</description></item>
/// <item><description><c>Endpoint</c>: the server's root URL; the default is <see cref="DefaultEndpoint"/>.</description></item>
/// <item><description><c>ApiKey</c> (optional): sent as <c>Authorization: Bearer</c>, for servers behind an authenticating proxy.</description></item>
/// </list>
/// <para>Ollama's OpenAI-compatible API at <c>/v1</c> is served by the <c>OpenAI</c> provider instead.</para>
/// </remarks>
public sealed class OllamaModelProvider : ModelProvider
{
    /// <summary>The provider name, <c>Ollama</c>.</summary>
    public const string ProviderName = "Ollama";

    /// <summary>The endpoint used when none is configured, <c>http://localhost:11434</c>.</summary>
    public const string DefaultEndpoint = "http://localhost:11434";

    /// <summary>
    /// The name of the <see cref="HttpClient"/> every Ollama model's requests go through, <c>AiEng.Ollama</c>, taken from the
    /// host's <see cref="IHttpClientFactory"/>: configure it with <c>services.AddHttpClient(OllamaModelProvider.HttpClientName)</c>
    /// to add handlers, a proxy or resilience. Without a factory in the services, a plain <see cref="HttpClient"/> is used.
    /// </summary>
    public const string HttpClientName = "AiEng.Ollama";

    /// <inheritdoc />
    public override string Name => ProviderName;

    /// <inheritdoc />
    public override bool Supports(ModelKind kind) => kind is ModelKind.Chat or ModelKind.Embeddings;

    /// <inheritdoc />
    /// <remarks>
    /// One request at a time: an Ollama server usually runs on one machine or GPU and serves a model's requests
    /// <c>OLLAMA_NUM_PARALLEL</c> at a time, queueing the rest, so more in flight gain nothing by default. Raise
    /// <c>Settings:MaxParallelRequests</c> to match a server that runs more. Ollama publishes no request limits.
    /// </remarks>
    public override EmbeddingRequestLimits? GetEmbeddingRequestLimits(ModelOptions options) => new() { MaxParallelRequests = 1 };

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="options"/>, <paramref name="configurationPath"/> or <paramref name="errors"/> is <see langword="null"/>.</exception>
    public override void Validate(ModelOptions options, ModelKind kind, string configurationPath, ICollection<string> errors)
    {
        Throw.IfNull(options);
        Throw.IfNull(configurationPath);
        Throw.IfNull(errors);

        ModelOptionsChecks.RequireModel(options, ProviderName, configurationPath, kind == ModelKind.Embeddings ? "nomic-embed-text" : "llama3.2", errors);
        var endpoint = ModelOptionsChecks.CheckEndpoint(options, DefaultEndpoint, configurationPath, DefaultEndpoint, errors);
        if (endpoint is not null && endpoint.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{configurationPath}:Endpoint ends in /v1, Ollama's OpenAI-compatible API, but provider {ProviderName} uses the native API at the server's root, such as '{DefaultEndpoint}'; remove /v1, or set {configurationPath}:Provider to OpenAI to use /v1.");
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid (see <see cref="Validate"/>).</exception>
    public override IChatClient CreateChatClient(ModelOptions options, IServiceProvider services)
    {
        Throw.IfNull(options);
        Throw.IfNull(services);
        return CreateClient(options, ModelKind.Chat, services);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid (see <see cref="Validate"/>).</exception>
    public override IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(ModelOptions options, IServiceProvider services)
    {
        Throw.IfNull(options);
        Throw.IfNull(services);
        return CreateClient(options, ModelKind.Embeddings, services);
    }

    private OllamaApiClient CreateClient(ModelOptions options, ModelKind kind, IServiceProvider services)
    {
        ModelOptionsChecks.ThrowIfInvalid(errors => Validate(options, kind, "(options)", errors), nameof(options));
        var endpoint = string.IsNullOrWhiteSpace(options.Endpoint) ? DefaultEndpoint : options.Endpoint.Trim();

        // A trailing slash keeps a path prefix (a reverse proxy's /ollama/) when OllamaSharp resolves api/chat against it.
        // The host's IHttpClientFactory gives a new HttpClient per call (its handlers pooled), so setting its address is safe.
        var http = (services.GetService(typeof(IHttpClientFactory)) as IHttpClientFactory)?.CreateClient(HttpClientName) ?? new HttpClient();
        http.BaseAddress = new Uri(endpoint.EndsWith('/') ? endpoint : endpoint + "/");
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey.Trim());
        }

        return new OllamaApiClient(http, options.Model!.Trim());
    }
}
