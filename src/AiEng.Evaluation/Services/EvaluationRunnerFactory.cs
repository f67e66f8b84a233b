using AiEng.Inference;
using AiEng.Offline;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.Logging;

namespace AiEng.Evaluation;

/// <summary>
/// Creates <see cref="EvaluationRunner"/>s from the services registered by <c>AddEvaluation</c>: the options of
/// <c>AiEng:Evaluation</c>, the judge chosen by <see cref="EvaluationServiceOptions.JudgeModel"/>, the usage ledger and the
/// <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// The judge is a chat client AiEng serves, so its calls already go through AiEng's pipeline (usage tracking into the
/// registered ledger, resilience from <c>AiEng:Resilience</c>); the runners add only the disk response cache of
/// <see cref="EvaluationServiceOptions.CacheDirectory"/>.
/// </remarks>
public sealed class EvaluationRunnerFactory
{
    private readonly EvaluationServiceOptions _options;
    private readonly UsageLedger? _ledger;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>Initializes a new instance of the <see cref="EvaluationRunnerFactory"/> class.</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="judgeModel">The chat client of the judge model; the offline extractive responder means no judge.</param>
    /// <param name="ledger">The registered usage ledger, if any.</param>
    /// <param name="time">The registered clock, if any.</param>
    /// <param name="loggerFactory">The registered logger factory, if any; the runners it creates log through it.</param>
    internal EvaluationRunnerFactory(EvaluationServiceOptions options, IChatClient judgeModel, IUsageLedger? ledger, TimeProvider? time, ILoggerFactory? loggerFactory = null)
    {
        _loggerFactory = loggerFactory;
        _options = options;
        _ledger = ledger as UsageLedger;
        _time = time ?? TimeProvider.System;
        Judge = IsJudge(judgeModel) ? judgeModel : null;
    }

    /// <summary>
    /// Gets the chat client the LLM-as-judge evaluators use, or <see langword="null"/> when the judge model is the offline
    /// extractive responder (no language model is configured). Add LLM judges only when it is set, as
    /// <c>samples/Evaluation</c> does; without a judge their metrics have no value and carry an error diagnostic.
    /// </summary>
    public IChatClient? Judge { get; }

    /// <summary>Creates a runner with the configured options.</summary>
    /// <param name="evaluators">The evaluators applied to every case.</param>
    /// <param name="configure">
    /// Adjusts this run's options (for example <see cref="EvaluationRunnerOptions.RunName"/>,
    /// <see cref="EvaluationRunnerOptions.Progress"/>) after they are set from the configuration; <see langword="null"/> for none.
    /// </param>
    /// <returns>The runner.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="evaluators"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No evaluator is given, or <paramref name="configure"/> set an option out of range.</exception>
    public EvaluationRunner Create(IEnumerable<IEvaluator> evaluators, Action<EvaluationRunnerOptions>? configure = null)
    {
        Throw.IfNull(evaluators);
        var options = new EvaluationRunnerOptions
        {
            RunName = _options.RunName,
            MaxConcurrency = _options.MaxConcurrency,
            OutputDirectory = NullIfEmpty(_options.OutputDirectory),   // an empty value (AiEng__Evaluation__OutputDirectory=) means none
            Resume = _options.Resume,
            CacheDirectory = NullIfEmpty(_options.CacheDirectory),
            JudgeChatClient = Judge,
            UseResilienceForJudge = false,   // AiEng's pipeline already retries the judge's calls
            UsageLedger = _ledger,
            TimeProvider = _time,
        };
        configure?.Invoke(options);
        return new EvaluationRunner(evaluators, options, _loggerFactory?.CreateLogger<EvaluationRunner>());
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool IsJudge(IChatClient client) =>
        !string.Equals(client.GetService<ChatClientMetadata>()?.ProviderName, ExtractiveResponder.ProviderName, StringComparison.Ordinal);
}
