using AiEng.Providers;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Offline;

/// <summary>
/// The built-in <c>Offline</c> chat provider, registered by <c>AddAiEng</c>: serves the <see cref="ExtractiveResponder"/>,
/// which needs no server, key or weights. It counts tokens with the application's <see cref="ITokenCounter"/>.
/// </summary>
internal sealed class OfflineModelProvider : ModelProvider
{
    /// <summary>The provider name: <c>Offline</c>.</summary>
    public const string ProviderName = AiEngOptions.DefaultChatProvider;

    /// <inheritdoc />
    public override string Name => ProviderName;

    /// <inheritdoc />
    public override bool Supports(ModelKind kind) => kind == ModelKind.Chat;

    /// <summary>
    /// Reports a model id, endpoint or API key set for the offline provider: they would be ignored, and usually mean that the
    /// provider was forgotten (<c>AiEng:Chat:Provider</c> defaults to <c>Offline</c>).
    /// </summary>
    public override void Validate(ModelOptions options, ModelKind kind, string configurationPath, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        var ignored = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Model) && !string.Equals(options.Model, ExtractiveResponder.ModelId, StringComparison.OrdinalIgnoreCase))
        {
            ignored.Add($"{configurationPath}:Model ('{options.Model}')");
        }

        if (!string.IsNullOrWhiteSpace(options.Endpoint))
        {
            ignored.Add($"{configurationPath}:Endpoint");
        }

        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            ignored.Add($"{configurationPath}:ApiKey");
        }

        if (ignored.Count > 0)
        {
            var path = configurationPath.Replace(":", "__", StringComparison.Ordinal);
            errors.Add(
                $"{string.Join(", ", ignored)} is set, but {configurationPath}:Provider is 'Offline' (the default), the extractive responder, " +
                $"which is not a language model and uses none of them. Set the provider of the model, for example {configurationPath}:Provider=OpenAI " +
                $"(environment variable {path}__Provider=OpenAI, package AiEng.OpenAI with .AddOpenAI()) or Ollama (AiEng.Ollama with .AddOllama()), " +
                $"or remove those keys.");
        }
    }

    /// <inheritdoc />
    public override IChatClient CreateChatClient(ModelOptions options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new ExtractiveResponder(services.GetRequiredService<ITokenCounter>());
    }
}
