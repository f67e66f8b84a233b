using AiEng.Providers;

namespace AiEng.Composition;

/// <summary>
/// Turns <see cref="AiEngOptions"/> into the models AiEng serves and checks them. Shared by start-up validation and by the
/// factories that build clients, so that both report a problem with the same message.
/// </summary>
internal sealed class ModelResolver
{
    private static readonly (string Provider, string Package, string Extension, string Kinds)[] KnownPackages =
    [
        ("OpenAI", "AiEng.OpenAI", "AddOpenAI()", "chat and embeddings"),
        ("Ollama", "AiEng.Ollama", "AddOllama()", "chat and embeddings"),
        ("Onnx", "AiEng.Onnx", "AddOnnx()", "local embeddings"),
    ];

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
            return new ModelDescriptor(kind, name, path, defaults?.Clone());
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
            errors.Add($"{path}:Provider is '{options.Provider}', but no provider of that name is registered (registered {kindText} providers: {servingText}). {ProviderHint(options.Provider, path, serving)}");
            return;
        }

        if (!provider.Supports(model.Kind))
        {
            errors.Add(
                $"{path}:Provider is '{options.Provider}', which does not serve {kindText} models (registered {kindText} providers: {servingText}). " +
                $"{ProviderHint(null, path, serving)}");
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

        provider.Validate(options.Clone(), model.Kind, path, errors);
    }

    private static string ProviderHint(string? requested, string path, string[] serving)
    {
        foreach (var known in KnownPackages)
        {
            if (string.Equals(requested?.Trim(), known.Provider, StringComparison.OrdinalIgnoreCase))
            {
                return $"Provider '{known.Provider}' comes with the package {known.Package}: add it and call .{known.Extension} on the builder AddAiEng returns, for example services.AddAiEng(configuration).{known.Extension}.";
            }
        }

        var packages = string.Join(", ", KnownPackages.Select(known => $"{known.Package} with .{known.Extension} ({known.Kinds})"));
        var example = serving.Length > 0 ? $"set it to one of them, for example {Example(path, "Provider", serving[0])}, or " : string.Empty;
        return $"To fix it, {example}add a provider package: {packages}; or register your own ModelProvider with .AddProvider(...).";
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

    private static ModelOptions Inherit(ModelOptions? defaults, ModelOptions named)
    {
        var result = named.Clone();
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
