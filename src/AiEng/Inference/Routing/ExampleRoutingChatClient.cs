#pragma warning disable MEAI001 // SemanticRoutingChatClient is experimental in MEAI 11; AiEng's public API does not expose it (docs/architecture.md).
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Chat middleware that routes each request to the model of its nearest labelled examples, with MEAI's
/// <see cref="SemanticRoutingChatClient"/> doing the selection; the model it wraps serves the rest. Added with
/// <c>ChatClientBuilder.UseExampleRouting</c>.
/// </summary>
/// <remarks>
/// AiEng adds what MEAI's client leaves to the application: examples that name configured models (resolved, with their
/// whole pipelines, from the services when the first request arrives), option checks, and the routed model's name on the
/// response (<see cref="RoutingProperties.Model"/>). The examples are embedded once, by MEAI's client, on the first request.
/// </remarks>
internal sealed class ExampleRoutingChatClient : DelegatingChatClient
{
    private readonly Lazy<SemanticRoutingChatClient> _router;

    public ExampleRoutingChatClient(
        IChatClient innerClient, IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator, ExampleRoutingOptions settings, IServiceProvider? services)
        : base(innerClient)
    {
        string fallbackName = settings.FallbackModelName
            ?? (innerClient.GetService<ChatClientMetadata>()?.DefaultModelId is { Length: > 0 } modelId ? modelId : "fallback");
        _router = new Lazy<SemanticRoutingChatClient>(() => CreateRouter(innerClient, fallbackName, embeddingGenerator, settings, services));
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _router.Value.GetResponseAsync(Throw.IfNull(messages), options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _router.Value.GetStreamingResponseAsync(Throw.IfNull(messages), options, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        // The router owns only its gate (leaveOpen): the routes' models belong to the services or to the caller.
        if (disposing && _router.IsValueCreated)
        {
            _router.Value.Dispose();
        }

        base.Dispose(disposing);
    }

    private static SemanticRoutingChatClient CreateRouter(
        IChatClient fallback,
        string fallbackName,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        ExampleRoutingOptions settings,
        IServiceProvider? services)
    {
        var fallbackRoute = new RouteMarkingChatClient(fallback, fallbackName);
        var routes = new Dictionary<string, RouteMarkingChatClient>(StringComparer.OrdinalIgnoreCase) { [fallbackName] = fallbackRoute };
        var profiles = new Dictionary<IChatClient, IReadOnlyList<string>>(ReferenceEqualityComparer.Instance);
        foreach (RoutingExample example in settings.Examples)
        {
            if (!routes.TryGetValue(example.Model, out RouteMarkingChatClient? route))
            {
                IChatClient model = settings.Clients.TryGetValue(example.Model, out IChatClient? given)
                    ? given
                    : NamedChatClients.Resolve(services, example.Model, "An example of UseExampleRouting names", $"ExampleRoutingOptions.Clients[\"{example.Model}\"]");
                routes[example.Model] = route = new RouteMarkingChatClient(model, example.Model);
            }

            if (!profiles.TryGetValue(route, out IReadOnlyList<string>? texts))
            {
                profiles[route] = texts = new List<string>();
            }

            ((List<string>)texts).Add(example.Text);
        }

        return new SemanticRoutingChatClient(
            embeddingGenerator,
            profiles,
            fallbackRoute,
            (float)settings.Threshold,
            settings.Neighbors,
            settings.Aggregation == ExampleRoutingAggregation.Sum ? SemanticRoutingChatClient.ScoreAggregation.Sum : SemanticRoutingChatClient.ScoreAggregation.Mean,
            leaveOpen: true);
    }
}
