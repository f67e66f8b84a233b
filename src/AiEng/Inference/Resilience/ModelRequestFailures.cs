using System.ClientModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AiEng.Providers;
using Polly.CircuitBreaker;

namespace AiEng.Inference;

/// <summary>
/// Builds the <see cref="ModelRequestException"/>s of the resilience middleware: what happened, to which provider and
/// model, after how many attempts, and the setting to change. Messages never contain the API key or the prompt.
/// </summary>
internal sealed class ModelRequestFailures
{
    private const int MaxProviderMessageLength = 300;
    private const string ResilienceSection = ResilienceOptions.SectionName;

    private readonly string _configurationPath;
    private readonly string _environmentPrefix;

    /// <summary>Initializes a new instance of the <see cref="ModelRequestFailures"/> class.</summary>
    /// <param name="kind">The kind of model.</param>
    /// <param name="providerName">The provider's name, if known.</param>
    /// <param name="defaultModelId">The default model id, if known.</param>
    /// <param name="configurationPath">The model's configuration section, or <see langword="null"/> for the default of <paramref name="kind"/>.</param>
    public ModelRequestFailures(ModelKind kind, string? providerName, string? defaultModelId, string? configurationPath)
    {
        Kind = kind;
        ProviderName = providerName;
        DefaultModelId = defaultModelId;
        _configurationPath = string.IsNullOrWhiteSpace(configurationPath)
            ? kind == ModelKind.Chat ? "AiEng:Chat" : "AiEng:Embeddings"
            : configurationPath.Trim().TrimEnd(':');
        _environmentPrefix = _configurationPath.Replace(":", "__", StringComparison.Ordinal);
    }

    /// <summary>Gets the kind of model.</summary>
    public ModelKind Kind { get; }

    /// <summary>Gets the provider's name, if known.</summary>
    public string? ProviderName { get; }

    /// <summary>Gets the default model id, if known.</summary>
    public string? DefaultModelId { get; }

    /// <summary>Describes a failure for a log line: the HTTP status or the exception type, never its message.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>For example <c>HTTP 429</c> or <c>TimeoutRejectedException</c>.</returns>
    public static string Describe(Exception? exception) => exception is null
        ? "no exception"
        : ModelFailures.GetStatusCode(exception) is { } status
            ? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}")
            : exception.GetType().Name;

    /// <summary>The call was rejected by the open circuit breaker.</summary>
    public ModelRequestException CircuitOpen(BrokenCircuitException exception, string? modelId, int attempts)
    {
        var text = new StringBuilder(Subject(modelId))
            .Append(" was not sent: the circuit breaker is open after repeated transient failures of this model");
        if (exception.RetryAfter is { } wait)
        {
            text.Append(CultureInfo.InvariantCulture, $" and rejects calls for another {Format(wait)}");
        }

        text.Append(CultureInfo.InvariantCulture, $". Try again later; the failure that opened it is in the inner exception. The thresholds are the '{ResilienceSection}:CircuitBreaker' settings.");
        return Create(text.ToString(), exception, ModelFailures.GetStatusCode(exception), modelId, attempts, isTransient: true, exception.RetryAfter);
    }

    /// <summary>The per-attempt or the total timeout was reached.</summary>
    public ModelRequestException TimedOut(Exception exception, TimeSpan limit, string? modelId, int attempts, Exception? lastFailure)
    {
        var text = new StringBuilder(Subject(modelId))
            .Append(CultureInfo.InvariantCulture, $" timed out: the time limit of {Format(limit)} was reached after {Attempts(attempts)}");
        if (lastFailure is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" (the last failure before it: {Describe(lastFailure)})");
        }

        text.Append(CultureInfo.InvariantCulture, $". Check that the endpoint responds ('{_configurationPath}:Endpoint'), or raise '{ResilienceSection}:AttemptTimeout' or '{ResilienceSection}:TotalTimeout'.");
        return Create(text.ToString(), exception, ModelFailures.GetStatusCode(lastFailure ?? exception), modelId, attempts, isTransient: true, retryAfter: null);
    }

    /// <summary>A transient failure remained after the last retry (or retries are off).</summary>
    public ModelRequestException Exhausted(Exception exception, string? modelId, int attempts, TimeSpan? retryAfter)
    {
        var status = ModelFailures.GetStatusCode(exception);
        var subject = Subject(modelId);
        var tried = Attempts(attempts);
        var moreRetries = $"'{ResilienceSection}:MaxRetryAttempts'";
        var message = status switch
        {
            429 => $"{subject} was rate limited by the provider (HTTP 429) and still failed after {tried}{RetryAfterText(retryAfter)}. Send fewer requests, raise the provider quota, or allow more retries with {moreRetries}.",
            408 => $"{subject} timed out at the provider (HTTP 408) after {tried}. Check that the endpoint responds ('{_configurationPath}:Endpoint') or try again later.",
            { } code => $"{subject} failed with HTTP {code} (a server error at the provider) after {tried}. The provider may be overloaded or down: try again later, or allow more retries with {moreRetries}.",
            null when ModelFailures.IsConnectionFailure(exception) => $"{subject} could not reach the provider ({Describe(exception.InnerException ?? exception)}) after {tried}. Check '{_configurationPath}:Endpoint' (environment variable '{_environmentPrefix}__Endpoint') and that the server is running and reachable.",
            null when exception is TimeoutException or OperationCanceledException => $"{subject} timed out ({exception.GetType().Name}) after {tried}. Check that the endpoint responds ('{_configurationPath}:Endpoint'), or raise the client's network timeout or '{ResilienceSection}:AttemptTimeout'.",
            null => $"{subject} failed with a transient error ({exception.GetType().Name}) after {tried}. Try again later, or allow more retries with {moreRetries}.",
        };

        return Create(message, exception, status, modelId, attempts, isTransient: true, retryAfter);
    }

    /// <summary>A stream failed after its first update: it is not retried, since a retry would stream again what was already received.</summary>
    public ModelRequestException StreamBroken(Exception exception, string? modelId, int updates)
    {
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"{Subject(modelId)} stopped after {updates} streamed {(updates == 1 ? "update" : "updates")}: the stream broke ({Describe(exception)}). The answer received so far is incomplete; it was not retried, since a retry would stream again what was already received. Ask again, or check that the connection to the provider is stable.");
        return Create(message, exception, ModelFailures.GetStatusCode(exception), modelId, attempts: 1, isTransient: true, retryAfter: null);
    }

    /// <summary>The provider rejected the request with a client error that retrying cannot fix.</summary>
    public ModelRequestException Rejected(Exception exception, int status, string? modelId, int attempts)
    {
        var subject = Subject(modelId);
        var providerMessage = GetProviderMessage(exception) is { } detail ? $" The provider said: \"{detail}\"" : string.Empty;
        var env = _environmentPrefix;
        var path = _configurationPath;
        var message = status switch
        {
            401 => $"{subject} was rejected with HTTP 401 (Unauthorized): the API key is missing, invalid or expired. Check the API key setting '{path}:ApiKey' (environment variable '{env}__ApiKey').",
            403 => $"{subject} was rejected with HTTP 403 (Forbidden): the API key is valid but lacks access to this model or endpoint. Use a key, project or organization with access to the model, or choose another model in '{path}:Model' (environment variable '{env}__Model').{providerMessage}",
            404 => $"{subject} failed with HTTP 404 (Not Found): the model or the endpoint does not exist. Check '{path}:Model' and '{path}:Endpoint' (environment variables '{env}__Model' and '{env}__Endpoint').{providerMessage}",
            400 => $"{subject} was rejected as invalid with HTTP 400 (Bad Request).{providerMessage} Check the request options (parameters, tools, response format) against what the model supports, and the size of the input.",
            413 => $"{subject} was rejected with HTTP 413 (Content Too Large): the input is too large for the provider. Shorten or split the input.{providerMessage}",
            _ => $"{subject} was rejected with HTTP {status}.{providerMessage} It was not retried because the provider refused the request itself.",
        };

        return Create(message, exception, status, modelId, attempts, isTransient: false, retryAfter: null);
    }

    /// <summary>Gets the provider's own error message from a JSON error body (<c>{"error":{"message":...}}</c> or <c>{"error":"..."}</c>).</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The message on one line, shortened; <see langword="null"/> when there is none.</returns>
    internal static string? GetProviderMessage(Exception exception)
    {
        if (exception is not ClientResultException { } clientResult || clientResult.GetRawResponse() is not { } response)
        {
            return null;
        }

        BinaryData content;
        try
        {
            content = response.Content;
        }
        catch (InvalidOperationException)
        {
            return null; // the body was not buffered
        }

        if (content.ToMemory().IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content.ToMemory());
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("error", out var error))
            {
                return null;
            }

            var text = error.ValueKind switch
            {
                JsonValueKind.String => error.GetString(),
                JsonValueKind.Object when error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String => message.GetString(),
                _ => null,
            };
            return Shorten(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Shorten(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= MaxProviderMessageLength ? text : string.Concat(text.AsSpan(0, MaxProviderMessageLength), "…");
    }

    private static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : string.Create(CultureInfo.InvariantCulture, $"{attempts} attempts");

    private static string RetryAfterText(TimeSpan? retryAfter) =>
        retryAfter is { } wait ? $" (the provider asked to wait {Format(wait)})" : string.Empty;

    private static string Format(TimeSpan value) => value.TotalSeconds >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###} s")
        : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.###} ms");

    private string Subject(string? modelId)
    {
        var model = string.IsNullOrEmpty(modelId) ? DefaultModelId : modelId;
        var what = Kind == ModelKind.Chat ? "The chat request" : "The embedding request";
        return (ProviderName, model) switch
        {
            (null or "", null or "") => what,
            (null or "", _) => $"{what} to model '{model}'",
            (_, null or "") => $"{what} to provider '{ProviderName}'",
            _ => $"{what} to provider '{ProviderName}' (model '{model}')",
        };
    }

    private ModelRequestException Create(string message, Exception inner, int? status, string? modelId, int attempts, bool isTransient, TimeSpan? retryAfter) => new(message, inner)
    {
        StatusCode = status,
        ProviderName = ProviderName,
        ModelId = string.IsNullOrEmpty(modelId) ? DefaultModelId : modelId,
        Attempts = attempts,
        IsTransient = isTransient,
        RetryAfter = retryAfter,
    };
}
