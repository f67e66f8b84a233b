using AiEng.Providers;
using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>
/// Reads a model's <see cref="EmbeddingRequestLimits"/> overrides from its settings (<c>Settings:MaxInputsPerRequest</c> and
/// friends) and lays them over the provider's published limits.
/// </summary>
internal static class EmbeddingRequestLimitSettings
{
    private static readonly (string Setting, string Example)[] Settings =
    [
        (EmbeddingRequestLimits.MaxInputsPerRequestSetting, "2048"),
        (EmbeddingRequestLimits.MaxTokensPerRequestSetting, "300000"),
        (EmbeddingRequestLimits.MaxTokensPerInputSetting, "8191"),
        (EmbeddingRequestLimits.MaxParallelRequestsSetting, "4"),
    ];

    /// <summary>Checks the settings of one model: positive whole numbers, and for embedding models only.</summary>
    public static void Validate(ModelOptions options, ModelKind kind, string configurationPath, ICollection<string> errors)
    {
        foreach ((string setting, string example) in Settings)
        {
            if (kind == ModelKind.Embeddings)
            {
                _ = ModelOptionsChecks.CheckPositiveInt(options, setting, configurationPath, example, errors);
            }
            else if (options.Settings.ContainsKey(setting))
            {
                errors.Add($"{configurationPath}:Settings:{setting} applies to embedding models only; remove it from this chat model's settings.");
            }
        }
    }

    /// <summary>Lays the model's settings over the provider's limits.</summary>
    /// <param name="defaults">The provider's published limits, or <see langword="null"/>.</param>
    /// <param name="options">The model's validated options.</param>
    /// <returns>The limits in effect, or <see langword="null"/> when there are none.</returns>
    public static EmbeddingRequestLimits? Resolve(EmbeddingRequestLimits? defaults, ModelOptions options)
    {
        int? Read(string setting) => ModelOptionsChecks.CheckPositiveInt(options, setting, string.Empty, string.Empty, []);
        var limits = new EmbeddingRequestLimits
        {
            MaxInputsPerRequest = Read(EmbeddingRequestLimits.MaxInputsPerRequestSetting) ?? defaults?.MaxInputsPerRequest,
            MaxTokensPerRequest = Read(EmbeddingRequestLimits.MaxTokensPerRequestSetting) ?? defaults?.MaxTokensPerRequest,
            MaxTokensPerInput = Read(EmbeddingRequestLimits.MaxTokensPerInputSetting) ?? defaults?.MaxTokensPerInput,
            MaxParallelRequests = Read(EmbeddingRequestLimits.MaxParallelRequestsSetting) ?? defaults?.MaxParallelRequests,
            TokenCounter = defaults?.TokenCounter,
        };
        return limits.LimitsRequests || limits.MaxParallelRequests is not null ? limits : null;
    }
}
