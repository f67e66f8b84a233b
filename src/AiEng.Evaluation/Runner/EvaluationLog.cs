using Microsoft.Extensions.Logging;

namespace AiEng.Evaluation;

/// <summary>Log messages of the evaluation runner. They name runs, data sets, cases and metrics and give counts, never inputs or outputs.</summary>
internal static partial class EvaluationLog
{
    [LoggerMessage(EventId = 300, EventName = "EvaluationRunStarted", Level = LogLevel.Information,
        Message = "Evaluation run {RunName} on data set {Dataset} started: {Cases} cases, {Resumed} already finished (skipped), {Evaluators} evaluators, concurrency {Concurrency}.")]
    public static partial void RunStarted(ILogger logger, string runName, string dataset, int cases, int resumed, int evaluators, int concurrency);

    [LoggerMessage(EventId = 301, EventName = "EvaluationRunCompleted", Level = LogLevel.Information,
        Message = "Evaluation run {RunName} on data set {Dataset} completed in {ElapsedMs:F0} ms: {Completed} cases, {Failed} failed, {Resumed} resumed.")]
    public static partial void RunCompleted(ILogger logger, string runName, string dataset, double elapsedMs, int completed, int failed, int resumed);

    [LoggerMessage(EventId = 302, EventName = "EvaluationCaseFailed", Level = LogLevel.Warning,
        Message = "Case {CaseId} of run {RunName} failed in the target: {ErrorType}; its metrics are not scored.")]
    public static partial void CaseFailed(ILogger logger, Exception exception, string caseId, string runName, string errorType);

    [LoggerMessage(EventId = 303, EventName = "EvaluationEvaluatorFailed", Level = LogLevel.Warning,
        Message = "The evaluator {Evaluator} threw {ErrorType} on case {CaseId}; its metrics carry an error diagnostic.")]
    public static partial void EvaluatorFailed(ILogger logger, Exception exception, string evaluator, string caseId, string errorType);

    [LoggerMessage(EventId = 304, EventName = "EvaluationCaseCompleted", Level = LogLevel.Debug,
        Message = "Case {CaseId} of run {RunName} scored {Metrics} metrics in {LatencyMs:F0} ms.")]
    public static partial void CaseCompleted(ILogger logger, string caseId, string runName, int metrics, double latencyMs);
}
