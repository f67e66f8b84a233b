using Microsoft.Extensions.Logging;

namespace AiEng.Inference;

/// <summary>The cascade's log messages; they name models and steps, never the request, the answer or a rejection reason (which may quote it).</summary>
internal static partial class CascadeLog
{
    [LoggerMessage(EventId = 43, EventName = "CascadeEscalated", Level = LogLevel.Debug,
        Message = "The cascade did not accept the answer of model '{Model}' (step {Step}) and escalates to model '{NextModel}'.")]
    public static partial void Escalated(ILogger logger, string model, int step, string nextModel);

    [LoggerMessage(EventId = 44, EventName = "CascadeEscalatedAfterFailure", Level = LogLevel.Warning,
        Message = "Model '{Model}' (step {Step}) of the cascade failed, and the cascade escalates to model '{NextModel}' (EscalateOnFailure is set).")]
    public static partial void EscalatedAfterFailure(ILogger logger, Exception exception, string model, int step, string nextModel);
}
