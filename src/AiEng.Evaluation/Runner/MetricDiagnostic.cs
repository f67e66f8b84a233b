namespace AiEng.Evaluation;

/// <summary>A diagnostic of a persisted metric.</summary>
public sealed class MetricDiagnostic
{
    /// <summary>Gets the severity: <c>Informational</c>, <c>Warning</c> or <c>Error</c>.</summary>
    public string Severity { get; init; } = string.Empty;

    /// <summary>Gets the message.</summary>
    public string Message { get; init; } = string.Empty;
}
