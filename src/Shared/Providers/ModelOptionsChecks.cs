using System.Globalization;
using AiEng.Providers;

namespace AiEng.Shared;

/// <summary>
/// Validation shared by the provider packages (compiled into each as an internal type). Every message names the
/// configuration key, says what is wrong and gives an example; none contains the API key.
/// </summary>
internal static class ModelOptionsChecks
{
    /// <summary>Adds an error when <see cref="ModelOptions.Model"/> is missing.</summary>
    public static void RequireModel(ModelOptions options, string provider, string configurationPath, string example, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.Model))
        {
            errors.Add($"{configurationPath}:Model is required by provider {provider}: set the model id, for example '{example}' (environment variable {EnvironmentVariable(configurationPath, "Model")}).");
        }
    }

    /// <summary>
    /// Returns the endpoint, or <paramref name="defaultEndpoint"/> when none is set; adds an error and returns
    /// <see langword="null"/> when it is not an absolute http(s) URL.
    /// </summary>
    public static Uri? CheckEndpoint(ModelOptions options, string defaultEndpoint, string configurationPath, string example, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.Endpoint))
        {
            return new Uri(defaultEndpoint);
        }

        if (Uri.TryCreate(options.Endpoint.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        errors.Add($"{configurationPath}:Endpoint must be an absolute http(s) URL such as '{example}'; '{Redact(options.Endpoint, options.ApiKey)}' is not.");
        return null;
    }

    /// <summary>Returns a positive whole-number setting, or <see langword="null"/> when it is not set; adds an error when it is malformed.</summary>
    public static int? CheckPositiveInt(ModelOptions options, string setting, string configurationPath, string example, ICollection<string> errors)
    {
        if (!options.Settings.TryGetValue(setting, out var text) || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        errors.Add($"{configurationPath}:Settings:{setting} must be a positive whole number such as '{example}'; '{Redact(text, options.ApiKey)}' is not.");
        return null;
    }

    /// <summary>Gets the environment variable that sets <paramref name="property"/> of <paramref name="configurationPath"/>, for example <c>AiEng__Chat__ApiKey</c>.</summary>
    public static string EnvironmentVariable(string configurationPath, string property) => configurationPath.Replace(":", "__", StringComparison.Ordinal) + "__" + property;

    /// <summary>Throws when <paramref name="validate"/> reports problems; used by providers whose Create methods get options that were not validated.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static void ThrowIfInvalid(Action<ICollection<string>> validate, string paramName)
    {
        var errors = new List<string>();
        validate(errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException("The model options are invalid: " + string.Join(" ", errors), paramName);
        }
    }

    /// <summary>Replaces the API key in <paramref name="value"/>, in case it was pasted into the wrong setting.</summary>
    private static string Redact(string value, string? apiKey) =>
        string.IsNullOrEmpty(apiKey) ? value : value.Replace(apiKey, "***", StringComparison.Ordinal);
}
