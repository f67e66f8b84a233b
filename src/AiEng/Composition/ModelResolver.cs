using AiEng.Inference;
using AiEng.Providers;

namespace AiEng.Composition;

/// <summary>
/// Turns <see cref="AiEngOptions"/> into the models AiEng serves and checks them. Shared by start-up validation and by the
/// factories that build clients, so that both report a problem with the same message.
/// </summary>
internal sealed class ModelResolver
{
    private readonly ModelProvider[] _providers;
    private readonly AiEngRegistry _registry;

    /// <summary>Initializes a new instance of the <see cref="ModelResolver"/> class.</summary>
    /// <param name="providers">The registered providers, in registration order.</param>
    /// <param name="registry">The registrations made through <c>AiEngBuilder</c>.</param>
    public ModelResolver(IEnumerable<ModelProvider> providers, AiEngRegistry registry)
    {
        _providers = providers.ToArray();
        _registry = registry;
    }

    /// <summary>Lists every model of <paramref name="options"/>: the default chat model, the named ones, then the same for embeddings.</summary>
    public IEnumerable<ModelDescriptor> DescribeAll(AiEngOptions options)
    {
        foreach (var kind in new[] { ModelKind.Chat, ModelKind.Embeddings })
        {
            yield return Describe(options, kind, name: null);
            foreach (var name in Models(options, kind).Keys.Order(StringComparer.OrdinalIgnoreCase))
            {
                yield return Describe(options, kind, name);
            }
        }
    }

    /// <summary>Describes one model; a named model that is not configured (and has no application client) has null options.</summary>
    public ModelDescriptor Describe(AiEngOptions options, ModelKind kind, string? name)
    {
        var path = PathOf(kind, name);
        if (HasCustom(kind, name))
        {
            return new ModelDescriptor(kind, name, path, Options: null);
        }

        var defaults = kind == ModelKind.Chat ? options.Chat : options.Embeddings;
        if (name is null)
        {
            return new ModelDescriptor(kind, name, path, defaults is null ? null : Copy(defaults));
        }

        var named = Models(options, kind).TryGetValue(name, out var found) ? found : null;
        return new ModelDescriptor(kind, name, path, named is null ? null : Inherit(defaults, named));
    }

    /// <summary>Gets a value indicating whether the application supplies the client of this model itself.</summary>
    public bool HasCustom(ModelKind kind, string? name) =>
        kind == ModelKind.Chat ? _registry.Chat.GetCustom(name) is not null : _registry.Embeddings.GetCustom(name) is not null;

    /// <summary>Finds the provider of a model (the last registered one of that name wins), or null.</summary>
    public ModelProvider? FindProvider(string? providerName) =>
        string.IsNullOrWhiteSpace(providerName)
            ? null
            : _providers.LastOrDefault(provider => string.Equals(provider.Name, providerName.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Gets a value indicating whether start-up validation leaves this model to the moment it is resolved: the default
    /// embedding model left at its defaults while no provider of that name is registered (an application that only chats).
    /// </summary>
    public bool IsDeferred(ModelDescriptor model) =>
        model is { Kind: ModelKind.Embeddings, Name: null, Options: { } options }
        && string.Equals(options.Provider, AiEngOptions.DefaultEmbeddingsProvider, StringComparison.Ordinal)
        && string.IsNullOrEmpty(options.Model) && string.IsNullOrEmpty(options.Endpoint) && string.IsNullOrEmpty(options.ApiKey)
        && options.Settings.Count == 0
        && FindProvider(options.Provider) is null;

    /// <summary>Checks one model and adds a message per problem; no message contains the model's API key.</summary>
    public void Validate(ModelDescriptor model, ICollection<string> errors)
    {
        if (model.Options is not { } options)
        {
            if (!HasCustom(model.Kind, model.Name))
            {
                errors.Add($"{model.ConfigurationPath} is not configured. Set at least {Example(model.ConfigurationPath, "Model", ExampleModel(model.Kind))}.");
            }

            return;
        }

        var found = new List<string>();
        ValidateOptions(model, options, found);
        foreach (var error in found)
        {
            errors.Add(Redact(error, options.ApiKey));
        }
    }

    /// <summary>Formats <c>path:property=value</c> with its environment-variable form, for messages.</summary>
    public static string Example(string path, string property, string value) =>
        $"{path}:{property}={value} (environment variable {path.Replace(":", "__", StringComparison.Ordinal)}__{property}={value})";

    private void ValidateOptions(ModelDescriptor model, ModelOptions options, List<string> errors)
    {
        var path = model.ConfigurationPath;
        var kindText = model.Kind == ModelKind.Chat ? "chat" : "embedding";
        var serving = _providers.Where(p => p.Supports(model.Kind)).Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var servingText = serving.Length == 0 ? "none" : string.Join(", ", serving);
        if (string.IsNullOrWhiteSpace(options.Provider))
        {
            errors.Add(
                $"{path}:Provider is empty. Set it to a registered {kindText} provider ({servingText}), for example " +
                $"{Example(path, "Provider", serving.FirstOrDefault() ?? "OpenAI")}.");
            return;
        }

        var provider = FindProvider(options.Provider);
        if (provider is null)
        {
            errors.Add($"{path}:Provider is '{options.Provider}', but no provider of that name is registered (registered {kindText} providers: {servingText}). {ProviderHint(options.Provider, path, serving, model.Kind)}");
            return;
        }

        if (!provider.Supports(model.Kind))
        {
            errors.Add(
                $"{path}:Provider is '{options.Provider}', which does not serve {kindText} models (registered {kindText} providers: {servingText}). " +
                $"{ProviderHint(null, path, serving, model.Kind)}");
            return;
        }

        if (!string.IsNullOrWhiteSpace(options.Endpoint)
            && !(Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps)))
        {
            errors.Add($"{path}:Endpoint is not an absolute http or https URL: '{options.Endpoint}'. Example: {Example(path, "Endpoint", "http://localhost:11434/v1")}.");
        }

        if (string.IsNullOrWhiteSpace(options.Model) && provider.RequiresModel(model.Kind))
        {
            errors.Add($"{path}:Model is missing: provider '{provider.Name}' needs a model id. Example: {Example(path, "Model", ExampleModel(model.Kind))}.");
        }

        EmbeddingRequestLimitSettings.Validate(options, model.Kind, path, errors);
        ModelRateLimitSettings.Validate(options, path, errors);
        provider.Validate(options, model.Kind, path, errors);
    }

    /// <summary>
    /// Says how to get a provider that is not registered, by the convention provider packages follow: provider <c>X</c> comes
    /// with the package <c>AiEng.X</c> and is registered by <c>.AddX()</c> on the builder <c>AddAiEng</c> returns. When the
    /// application references that package, the hint spells it as the package does and says that only the call is missing.
    /// </summary>
    /// <param name="requested">The provider name configured, or <see langword="null"/> when a registered provider does not serve the kind of model.</param>
    /// <param name="path">The model's configuration path.</param>
    /// <param name="serving">The registered providers that serve the kind of model.</param>
    /// <param name="kind">The kind of model.</param>
    private static string ProviderHint(string? requested, string path, string[] serving, ModelKind kind)
    {
        string setIt = serving.Length > 0 ? $"set it to one of them, for example {Example(path, "Provider", serving[0])}, or " : string.Empty;
        string name = requested?.Trim() ?? string.Empty;
        if (!ProviderPackages.IsConventionalName(name))
        {
            string example = kind == ModelKind.Chat ? "OpenAI" : AiEngOptions.DefaultEmbeddingsProvider;
            return $"To fix it, {setIt}add the package of a provider that serves it and register the provider: provider X comes with the package AiEng.X "
                + $"and is registered with .AddX() on the builder AddAiEng returns (for example AiEng.{example} with .Add{example}()); or register your own ModelProvider with .AddProvider(...).";
        }

        if (ProviderPackages.FindReferenced(name) is { } package)
        {
            string spelled = package["AiEng.".Length..];
            return $"The application references the package {package}, but its provider is not registered: call .Add{spelled}() on the builder AddAiEng returns, "
                + $"for example services.AddAiEng(configuration).Add{spelled}().";
        }

        return $"To fix it, {setIt}add the package of provider '{name}' and register it: by convention that is the package AiEng.{name} with .Add{name}() on the builder "
            + $"AddAiEng returns, for example services.AddAiEng(configuration).Add{name}(); or register your own ModelProvider named '{name}' with .AddProvider(...).";
    }

    private static string Redact(string message, string? apiKey) =>
        string.IsNullOrWhiteSpace(apiKey) ? message : message.Replace(apiKey, "***", StringComparison.Ordinal);

    private static string ExampleModel(ModelKind kind) => kind == ModelKind.Chat ? "gpt-4o-mini" : "text-embedding-3-small";

    private string PathOf(ModelKind kind, string? name) => (kind, name) switch
    {
        (ModelKind.Chat, null) => $"{_registry.ConfigurationPath}:Chat",
        (ModelKind.Chat, _) => $"{_registry.ConfigurationPath}:ChatModels:{name}",
        (_, null) => $"{_registry.ConfigurationPath}:Embeddings",
        _ => $"{_registry.ConfigurationPath}:EmbeddingModels:{name}",
    };

    private static IDictionary<string, ModelOptions> Models(AiEngOptions options, ModelKind kind) =>
        (kind == ModelKind.Chat ? options.ChatModels : options.EmbeddingModels) ?? new Dictionary<string, ModelOptions>();

    /// <summary>
    /// Copies a model's options. Every descriptor holds its own copy (the configured options are shared by every model and by
    /// <c>IOptions&lt;AiEngOptions&gt;</c>), and a provider may keep the options it is given.
    /// </summary>
    private static ModelOptions Copy(ModelOptions options) => new()
    {
        Provider = options.Provider,
        Model = options.Model,
        Endpoint = options.Endpoint,
        ApiKey = options.ApiKey,
        Settings = new Dictionary<string, string?>(options.Settings, StringComparer.OrdinalIgnoreCase),
    };

    private static ModelOptions Inherit(ModelOptions? defaults, ModelOptions named)
    {
        var result = Copy(named);
        if (defaults is null
            || !(string.IsNullOrWhiteSpace(named.Provider) || string.Equals(named.Provider.Trim(), defaults.Provider?.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return result;
        }

        result.Provider = defaults.Provider;
        result.Model = string.IsNullOrEmpty(named.Model) ? defaults.Model : named.Model;
        result.Endpoint = string.IsNullOrEmpty(named.Endpoint) ? defaults.Endpoint : named.Endpoint;
        result.ApiKey = string.IsNullOrEmpty(named.ApiKey) ? defaults.ApiKey : named.ApiKey;
        foreach (var setting in defaults.Settings)
        {
            result.Settings.TryAdd(setting.Key, setting.Value);
        }

        return result;
    }
}
