using AiEng.Providers;
using Microsoft.Extensions.Logging;

namespace AiEng.Inference;

/// <summary>Log messages of the resilience middleware. They name the provider, model and failure kind, never prompts or keys.</summary>
internal static partial class ResilienceLog
{
    [LoggerMessage(EventId = 1, EventName = "ModelCallRetrying", Level = LogLevel.Warning,
        Message = "{Kind} call to {Provider} model {Model} failed ({Failure}); retry {Retry} in {Delay}.")]
    public static partial void Retrying(ILogger logger, ModelKind kind, string? provider, string? model, int retry, string failure, TimeSpan delay);

    [LoggerMessage(EventId = 2, EventName = "ModelCircuitOpened", Level = LogLevel.Error,
        Message = "{Kind} circuit for {Provider} model {Model} opened after repeated transient failures; calls are rejected for {BreakDuration}.")]
    public static partial void CircuitOpened(ILogger logger, ModelKind kind, string? provider, string? model, TimeSpan breakDuration);

    [LoggerMessage(EventId = 3, EventName = "ModelCircuitClosed", Level = LogLevel.Information,
        Message = "{Kind} circuit for {Provider} model {Model} closed; calls flow again.")]
    public static partial void CircuitClosed(ILogger logger, ModelKind kind, string? provider, string? model);
}
