using AiEng.Configuration;
using AiEng.Providers;

namespace AiEng.OpenAI;

/// <summary>
/// Where <c>AddOpenAIFineTuning()</c>'s <see cref="AiEng.FineTuning.IFineTuningClient"/> sends its requests, bound from
/// <c>AiEng:FineTuning:OpenAI</c>. When neither <see cref="Endpoint"/> nor <see cref="ApiKey"/> is set there and the
/// default chat model's provider is <c>OpenAI</c>, the chat model's endpoint, API key, organization and project are used,
/// so one key serves both.
/// </summary>
public sealed class OpenAIFineTuningOptions
{
    /// <summary>The configuration section, below AiEng's: <c>FineTuning:OpenAI</c>.</summary>
    public const string SectionName = "FineTuning:OpenAI";

    /// <summary>Gets or sets the API's base URL; the default is <see cref="OpenAIModelProvider.DefaultEndpoint"/>.</summary>
    [ConfigurationExample("https://api.openai.com/v1")]
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets the API key, sent as <c>Authorization: Bearer</c>; required by OpenAI's and Azure OpenAI's endpoints. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets OpenAI's organization id, if any.</summary>
    public string? Organization { get; set; }

    /// <summary>Gets or sets OpenAI's project id, if any.</summary>
    public string? Project { get; set; }

    /// <summary>
    /// Gets the model options the client is created from, and the configuration path that names their keys: these options
    /// when they set an endpoint or key, else the default chat model's when it is an OpenAI model.
    /// </summary>
    internal (ModelOptions Options, string Path) Resolve(AiEngOptions aiEng, string aiEngPath)
    {
        var chat = aiEng.Chat;
        if (string.IsNullOrWhiteSpace(Endpoint) && string.IsNullOrWhiteSpace(ApiKey)
            && chat is not null && string.Equals(chat.Provider?.Trim(), OpenAIModelProvider.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            var fromChat = new ModelOptions
            {
                Provider = OpenAIModelProvider.ProviderName,
                Model = FineTuningModelPlaceholder,
                Endpoint = chat.Endpoint,
                ApiKey = chat.ApiKey,
                Settings = new Dictionary<string, string?>(chat.Settings, StringComparer.OrdinalIgnoreCase),
            };
            fromChat.Settings.Remove("Dimensions");
            return (fromChat, aiEngPath + ":Chat");
        }

        var own = new ModelOptions
        {
            Provider = OpenAIModelProvider.ProviderName,
            Model = FineTuningModelPlaceholder,
            Endpoint = Endpoint,
            ApiKey = ApiKey,
        };
        if (!string.IsNullOrWhiteSpace(Organization))
        {
            own.Settings["Organization"] = Organization;
        }

        if (!string.IsNullOrWhiteSpace(Project))
        {
            own.Settings["Project"] = Project;
        }

        return (own, aiEngPath + ":" + SectionName);
    }

    /// <summary>The model id the provider's checks need; fine-tuning names its base model per job.</summary>
    private const string FineTuningModelPlaceholder = "fine-tuning";
}
