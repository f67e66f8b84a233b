using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiEng.Evaluation;

/// <summary>
/// Runs every case of a data set through a target and then through the evaluators, with bounded concurrency, per-case
/// persistence (a killed run resumes where it stopped), progress reporting and cancellation.
/// </summary>
/// <remarks>
/// An evaluator that throws does not lose the case: its metrics get an error diagnostic. A target that throws records
/// the failure on the case (retried on resume). The output directory is created and opened before the first case, so an
/// unwritable directory fails before any model call.
/// </remarks>
public sealed class EvaluationRunner
{
    /// <summary>The file in the output directory that holds one finished case per line.</summary>
    public const string CasesFileName = "cases.jsonl";

    private readonly IEvaluator[] _evaluators;
    private readonly EvaluationRunnerOptions _options;
    private readonly ChatConfiguration? _judge;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="EvaluationRunner"/> class.</summary>
    /// <param name="evaluators">The evaluators applied to every case.</param>
    /// <param name="options">The options (cloned; later changes have no effect).</param>
    /// <param name="logger">Receives each run's start and end with counts (Information), failed cases and evaluators (Warning) and per-case scores (Debug); <see langword="null"/> for none. Inputs and outputs are never logged.</param>
    /// <exception cref="ArgumentNullException"><paramref name="evaluators"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No evaluator is given, or an option is out of range.</exception>
    public EvaluationRunner(IEnumerable<IEvaluator> evaluators, EvaluationRunnerOptions? options = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _evaluators = Throw.IfNull(evaluators).ToArray();
        if (_evaluators.Length == 0 || _evaluators.Any(static e => e is null))
        {
            throw new ArgumentException("At least one evaluator is required and none may be null.", nameof(evaluators));
        }

        _options = options?.Clone() ?? new EvaluationRunnerOptions();
        _options.Validate();
        if (_options.JudgeChatClient is { } judge)
        {
            var builder = judge.AsBuilder();
            if (_options.CacheDirectory is { } cache)
            {
                builder.UseDiskResponseCache(cache);
            }

            if (_options.UseResilienceForJudge)
            {
                builder.UseResilience(_options.ConfigureJudgeResilience);
            }

            _judge = new ChatConfiguration(builder.Build());
        }
    }

    /// <summary>Runs the data set.</summary>
    /// <param name="dataset">The cases.</param>
    /// <param name="target">The system under evaluation.</param>
    /// <param name="cancellationToken">Stops the run; finished cases stay persisted.</param>
    /// <returns>The run with every case in data-set order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> or <paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The output directory cannot be written (raised before any target call).</exception>
    /// <exception cref="UnauthorizedAccessException">The output directory cannot be written (raised before any target call).</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public async Task<EvaluationRun> RunAsync(EvaluationDataset dataset, EvaluationTarget target, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(dataset);
        Throw.IfNull(target);
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.EvaluationRun);
        activity?.SetTag(AiEngTelemetry.EvaluationRunName, _options.RunName);
        activity?.SetTag(AiEngTelemetry.EvaluationDataset, dataset.Name);
        activity?.SetTag(AiEngTelemetry.EvaluationCases, dataset.Cases.Count);
        var time = _options.TimeProvider;
        var started = time.GetUtcNow();
        long startedTimestamp = time.GetTimestamp();
        var results = new Dictionary<string, CaseResult>(StringComparer.Ordinal);
        StreamWriter? writer = null;
        if (_options.OutputDirectory is { } directory)
        {
            Directory.CreateDirectory(directory);
            string path = Path.Combine(directory, CasesFileName);
            if (_options.Resume)
            {
                var known = dataset.Cases.Select(static c => c.Id).ToHashSet(StringComparer.Ordinal);
                foreach (var previous in await ReadFinishedAsync(path, cancellationToken).ConfigureAwait(false))
                {
                    if (known.Contains(previous.Id) && previous.Error is null)
                    {
                        results[previous.Id] = previous;
                    }
                }
            }

            var stream = new FileStream(path, _options.Resume ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
            stream.Seek(0, SeekOrigin.End);
            writer = new StreamWriter(stream, new UTF8Encoding(false));
            if (stream.Length > 0 && EndsWithoutNewline(stream))
            {
                // The previous run died mid-line: start on a fresh line so the torn record stays isolated.
                await writer.WriteLineAsync().ConfigureAwait(false);
            }
        }

        int resumed = results.Count;
        int completed = resumed;
        int failed = 0;
        activity?.SetTag(AiEngTelemetry.EvaluationCasesResumed, resumed);
        EvaluationLog.RunStarted(_logger, _options.RunName, dataset.Name, dataset.Cases.Count, resumed, _evaluators.Length, _options.MaxConcurrency);
        var gate = new SemaphoreSlim(1, 1);
        try
        {
            var pending = dataset.Cases.Where(c => !results.ContainsKey(c.Id)).ToArray();
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(pending, parallel, async (evaluationCase, token) =>
            {
                var result = await RunCaseAsync(evaluationCase, target, token).ConfigureAwait(false);
                await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    results[evaluationCase.Id] = result;
                    if (writer is not null)
                    {
                        await writer.WriteLineAsync(JsonSerializer.Serialize(result, EvaluationRun.Json)).ConfigureAwait(false);
                        await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                    }

                    completed++;
                    failed += result.Error is null ? 0 : 1;
                    _options.Progress?.Report(new EvaluationProgress(completed, dataset.Cases.Count, resumed, failed));
                }
                finally
                {
                    gate.Release();
                }
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }

            gate.Dispose();
        }

        activity?.SetTag(AiEngTelemetry.EvaluationCasesFailed, failed);
        EvaluationLog.RunCompleted(_logger, _options.RunName, dataset.Name, time.GetElapsedTime(startedTimestamp).TotalMilliseconds, completed, failed, resumed);

        return new EvaluationRun
        {
            Name = _options.RunName,
            Dataset = dataset.Name,
            StartedAt = started,
            CompletedAt = time.GetUtcNow(),
            Cases = dataset.Cases.Select(c => results[c.Id]).ToArray(),
        };
    }

    private async Task<CaseResult> RunCaseAsync(EvaluationCase evaluationCase, EvaluationTarget target, CancellationToken cancellationToken)
    {
        string tag = $"eval/{_options.RunName}/{evaluationCase.Id}";
        CaseResult result;
        using (Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.EvaluationCase))
        using (UsageScope.Begin(tag))
        {
            activity?.SetTag(AiEngTelemetry.EvaluationCaseId, evaluationCase.Id);
            result = await RunCaseInScopeAsync(evaluationCase, target, activity, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(AiEngTelemetry.EvaluationMetrics, result.Metrics.Count);
        }

        if (_options.UsageLedger is not { } ledger)
        {
            return result;
        }

        // The case's own totals, without copying the ledger's records for every case.
        UsageTotals usage = ledger.GetTotals(UsageGrouping.CallerTag, tag);
        return result with { ModelCalls = usage.Calls, Cost = usage.Cost };
    }

    private async Task<CaseResult> RunCaseInScopeAsync(EvaluationCase evaluationCase, EvaluationTarget target, Activity? activity, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        long start = time.GetTimestamp();
        EvaluationTargetOutput output;
        try
        {
            output = await target(evaluationCase, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            AiEngTelemetry.Fail(activity, ex);
            EvaluationLog.CaseFailed(_logger, ex, evaluationCase.Id, _options.RunName, ex.GetType().Name);
            return new CaseResult
            {
                Id = evaluationCase.Id,
                Input = evaluationCase.Input,
                Reference = evaluationCase.Reference,
                Contexts = evaluationCase.Contexts,
                LatencyMs = time.GetElapsedTime(start).TotalMilliseconds,
                Error = $"{ex.GetType().Name}: {ex.Message}",
                Metadata = evaluationCase.Metadata,
            };
        }

        double latency = time.GetElapsedTime(start).TotalMilliseconds;
        var contexts = output.Contexts ?? evaluationCase.Contexts;
        var additional = new List<EvaluationContext>();
        if (evaluationCase.Reference is { } reference)
        {
            additional.Add(new ReferenceContext(reference));
        }

        if (contexts.Count > 0)
        {
            additional.Add(new GroundingContext(contexts));
        }

        if (evaluationCase.Relevance is { } relevance && output.RetrievedIds is { } ids)
        {
            additional.Add(new RetrievalContext(ids, relevance));
        }

        List<ChatMessage> messages = [new(ChatRole.User, evaluationCase.Input)];
        var metrics = new List<MetricScore>();
        foreach (var evaluator in _evaluators)
        {
            using Activity? metricActivity = AiEngTelemetry.Start(AiEngTelemetry.EvaluationMetric);
            metricActivity?.SetTag(AiEngTelemetry.EvaluationEvaluator, evaluator.GetType().Name);
            try
            {
                var result = await evaluator.EvaluateAsync(messages, output.Response, _judge, additional, cancellationToken).ConfigureAwait(false);
                int first = metrics.Count;
                metrics.AddRange(result.Metrics.Values.Select(MetricScore.From));
                if (metricActivity is not null)
                {
                    AddResults(metricActivity, metrics, first);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                AiEngTelemetry.Fail(metricActivity, ex);
                EvaluationLog.EvaluatorFailed(_logger, ex, evaluator.GetType().Name, evaluationCase.Id, ex.GetType().Name);
                var diagnostic = new MetricDiagnostic { Severity = nameof(EvaluationDiagnosticSeverity.Error), Message = $"The evaluator {evaluator.GetType().Name} threw {ex.GetType().Name}: {ex.Message}" };
                metrics.AddRange(evaluator.EvaluationMetricNames.Select(name => new MetricScore { Name = name, Diagnostics = [diagnostic] }));
            }
        }

        EvaluationLog.CaseCompleted(_logger, evaluationCase.Id, _options.RunName, metrics.Count, latency);
        return new CaseResult
        {
            Id = evaluationCase.Id,
            Input = evaluationCase.Input,
            Output = output.Response.Text,
            FinishReason = output.Response.FinishReason?.Value,
            Reference = evaluationCase.Reference,
            Contexts = contexts,
            RetrievedIds = output.RetrievedIds,
            Metrics = metrics,
            LatencyMs = latency,
            InputTokens = output.Response.Usage?.InputTokenCount,
            OutputTokens = output.Response.Usage?.OutputTokenCount,
            Metadata = evaluationCase.Metadata,
        };
    }

    /// <summary>
    /// Describes the metrics an evaluator produced on its span: their names and, per metric, an event
    /// <c>gen_ai.evaluation.result</c> with the GenAI attributes (name, numeric score, pass/fail label); never the reason.
    /// </summary>
    private static void AddResults(Activity activity, List<MetricScore> metrics, int first)
    {
        var names = new string[metrics.Count - first];
        for (int i = first; i < metrics.Count; i++)
        {
            MetricScore metric = metrics[i];
            names[i - first] = metric.Name;
            var tags = new ActivityTagsCollection { [AiEngTelemetry.EvaluationName] = metric.Name };
            if (metric.Value is double value)
            {
                tags[AiEngTelemetry.EvaluationScoreValue] = value;
            }

            if (metric.Failed is bool isFailed)
            {
                tags[AiEngTelemetry.EvaluationScoreLabel] = isFailed ? "fail" : "pass";
            }

            activity.AddEvent(new ActivityEvent(AiEngTelemetry.EvaluationResultEvent, tags: tags));
        }

        activity.SetTag(AiEngTelemetry.EvaluationName, string.Join(",", names));
        activity.SetTag(AiEngTelemetry.EvaluationMetrics, names.Length);
        if (names.Length == 1 && metrics[first].Value is double single)
        {
            activity.SetTag(AiEngTelemetry.EvaluationScoreValue, single);
        }
    }

    private static bool EndsWithoutNewline(FileStream stream)
    {
        long position = stream.Position;
        stream.Seek(-1, SeekOrigin.End);
        bool torn = stream.ReadByte() != '\n';
        stream.Seek(position, SeekOrigin.Begin);
        return torn;
    }

    /// <summary>Reads the finished cases of an interrupted run; a torn last line (the process died mid-write) is ignored.</summary>
    private static async Task<List<CaseResult>> ReadFinishedAsync(string path, CancellationToken cancellationToken)
    {
        var finished = new List<CaseResult>();
        if (!File.Exists(path))
        {
            return finished;
        }

        foreach (string line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize<CaseResult>(line, EvaluationRun.Json) is { } result)
                {
                    finished.Add(result);
                }
            }
            catch (JsonException)
            {
                // A torn line from a crash mid-write: that case simply runs again.
            }
        }

        return finished;
    }
}
