using AiEng.Providers;
using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>Reads a model's <see cref="ModelRateLimitOptions"/> from its settings (<c>Settings:RequestsPerMinute</c>, <c>Settings:TokensPerMinute</c>).</summary>
internal static class ModelRateLimitSettings
{
    /// <summary>Checks the settings of one model: positive whole numbers.</summary>
    public static void Validate(ModelOptions options, string configurationPath, ICollection<string> errors)
    {
        _ = ModelOptionsChecks.CheckPositiveInt(options, ModelRateLimitOptions.RequestsPerMinuteSetting, configurationPath, "500", errors);
        _ = ModelOptionsChecks.CheckPositiveInt(options, ModelRateLimitOptions.TokensPerMinuteSetting, configurationPath, "200000", errors);
    }

    /// <summary>Reads the limits of a validated model, or <see langword="null"/> when it sets none.</summary>
    public static ModelRateLimitOptions? Resolve(ModelOptions options)
    {
        int? Read(string setting) => ModelOptionsChecks.CheckPositiveInt(options, setting, string.Empty, string.Empty, []);
        var limits = new ModelRateLimitOptions
        {
            RequestsPerMinute = Read(ModelRateLimitOptions.RequestsPerMinuteSetting),
            TokensPerMinute = Read(ModelRateLimitOptions.TokensPerMinuteSetting),
        };
        return limits.LimitsAnything ? limits : null;
    }
}
