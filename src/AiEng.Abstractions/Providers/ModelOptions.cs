using System.Globalization;
using System.Text;

namespace AiEng.Providers;

/// <summary>
/// The configuration of one model: which provider serves it, the model id, the endpoint and the credentials.
/// Bound from a configuration section such as <c>AiEng:Chat</c> or <c>AiEng:ChatModels:fast</c>.
/// </summary>
/// <remarks><see cref="ToString"/> never shows <see cref="ApiKey"/>.</remarks>
public sealed class ModelOptions
{
    /// <summary>Gets or sets the provider name, for example <c>Offline</c>, <c>Onnx</c>, <c>OpenAI</c> or <c>Ollama</c> (case-insensitive).</summary>
    public string? Provider { get; set; }

    /// <summary>Gets or sets the model id, for example <c>gpt-4o-mini</c> or <c>llama3.2</c>. Some providers have a default.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the absolute http(s) endpoint URL, for example <c>http://localhost:11434/v1</c>. Providers have a default.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets the API key. It never appears in logs, exception messages or <see cref="ToString"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets provider-specific settings, for example <c>ModelPath</c> or <c>IntraOpThreads</c> for <c>Onnx</c>.</summary>
    public IDictionary<string, string?> Settings { get; set; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Describes the options with the API key redacted.</summary>
    /// <returns>A description such as <c>Provider=OpenAI, Model=gpt-4o-mini, Endpoint=..., ApiKey=***</c>.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Provider={Provider ?? "(default)"}, Model={Model ?? "(default)"}");
        if (Endpoint is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", Endpoint={Endpoint}");
        }

        text.Append(", ApiKey=").Append(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***");
        return text.ToString();
    }
}
