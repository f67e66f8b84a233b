using AiEng.Inference;
using AiEng.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Composition;

/// <summary>
/// Creates the clients registered by <c>AddAiEng</c>: finds the model's provider (or the application's own client) and wraps
/// the result in AiEng's pipeline. A model that fails validation throws <see cref="OptionsValidationException"/> with the
/// same messages as start-up validation, also when it is resolved before the host starts.
/// </summary>
internal sealed class AiEngModelFactory
{
    private readonly IServiceProvider _services;
    private readonly IOptions<AiEngOptions> _options;
    private readonly AiEngRegistry _registry;
    private readonly ModelResolver _resolver;

    /// <summary>Initializes a new instance of the <see cref="AiEngModelFactory"/> class.</summary>
    public AiEngModelFactory(IServiceProvider services, IOptions<AiEngOptions> options, IEnumerable<ModelProvider> providers, AiEngRegistry registry)
    {
        _services = services;
        _options = options;
        _registry = registry;
        _resolver = new ModelResolver(providers, registry);
    }

    /// <summary>Creates the chat pipeline of the model <paramref name="name"/> (the default model when null).</summary>
    public IChatClient CreateChatClient(string? name)
    {
        var model = Resolve(ModelKind.Chat, name);
        IChatClient inner;
        ModelRateLimiter? rateLimiter = null;
        if (_registry.Chat.GetCustom(name) is { } custom)
        {
            inner = custom(_services) ?? throw NullClient(model);
        }
        else
        {
            var provider = ProviderOf(model);
            rateLimiter = RateLimiterOf(provider, model);
            inner = provider.CreateChatClient(model.Options!, _services);
        }

        return AiEngPipeline.BuildChatClient(inner, _registry, _services, model.ConfigurationPath, ModelResiliencePipelines.ChatKey(name), name, rateLimiter);
    }

    /// <summary>Creates the embedding pipeline of the model <paramref name="name"/> (the default model when null).</summary>
    public IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(string? name)
    {
        var model = Resolve(ModelKind.Embeddings, name);
        IEmbeddingGenerator<string, Embedding<float>> inner;
        EmbeddingRequestLimits? limits = null;
        ModelRateLimiter? rateLimiter = null;
        if (_registry.Embeddings.GetCustom(name) is { } custom)
        {
            inner = custom(_services) ?? throw NullClient(model);
        }
        else
        {
            var provider = ProviderOf(model);
            rateLimiter = RateLimiterOf(provider, model);
            inner = provider.CreateEmbeddingGenerator(model.Options!, _services);
            limits = EmbeddingRequestLimitSettings.Resolve(provider.GetEmbeddingRequestLimits(model.Options!), model.Options!);
        }

        return AiEngPipeline.BuildEmbeddingGenerator(inner, _registry, _services, model.ConfigurationPath, ModelResiliencePipelines.EmbeddingsKey(name), name, limits, rateLimiter);
    }

    /// <summary>
    /// Gets the model's shared rate limiter when its settings set limits: one per provider and model id in the process
    /// (<see cref="ModelRateLimiters"/>), created before the provider's client so that the provider can report headers to it.
    /// </summary>
    private ModelRateLimiter? RateLimiterOf(ModelProvider provider, ModelDescriptor model)
    {
        if (ModelRateLimitSettings.Resolve(model.Options!) is not { } limits)
        {
            return null;
        }

        var modelId = string.IsNullOrWhiteSpace(model.Options!.Model) ? model.ConfigurationPath : model.Options.Model;
        return _services.GetRequiredService<ModelRateLimiters>().GetOrAdd(provider.Name, modelId, limits);
    }

    /// <summary>Describes and checks a model; its options are a copy of the configured ones, which the provider may keep.</summary>
    private ModelDescriptor Resolve(ModelKind kind, string? name)
    {
        // Reading Value runs every IValidateOptions<AiEngOptions>, so an invalid configuration fails here with the start-up message.
        var model = _resolver.Describe(_options.Value, kind, name);
        var errors = new List<string>();
        _resolver.Validate(model, errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(AiEngOptions), errors);
        }

        return model;
    }

    private ModelProvider ProviderOf(ModelDescriptor model) =>
        _resolver.FindProvider(model.Options?.Provider)
        ?? throw new InvalidOperationException($"{model.ConfigurationPath}:Provider names no registered provider."); // unreachable after Validate

    private static InvalidOperationException NullClient(ModelDescriptor model) =>
        new($"The factory passed to AiEngBuilder for {model.ConfigurationPath} returned null; it must return a client.");
}
