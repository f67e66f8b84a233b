using System.ComponentModel.DataAnnotations;
using AiEng.Configuration;

namespace AiEng.Evaluation;

/// <summary>
/// Options of the evaluation services registered by <c>AddEvaluation</c>, bound from the <c>AiEng:Evaluation</c>
/// configuration section by <c>AddAiEng(configuration)</c> and checked when the host starts.
/// </summary>
/// <remarks>
/// The services read the options once, when they are first resolved; later changes have no effect on them. Settings that
/// are not configuration-friendly (progress, a custom judge client) are set per run with
/// <see cref="EvaluationRunnerFactory.Create"/>.
/// </remarks>
public sealed class EvaluationServiceOptions
{
    /// <summary>The default <see cref="RunName"/>: <c>run</c>.</summary>
    public const string DefaultRunName = "run";

    /// <summary>The default <see cref="MaxConcurrency"/>: 4 cases at the same time.</summary>
    public const int DefaultMaxConcurrency = 4;

    /// <summary>
    /// Gets or sets the name of the chat model that judges (the keyed <c>IChatClient</c> of a model configured under
    /// <c>AiEng:ChatModels:&lt;name&gt;</c> or served with <c>UseChatClient(factory, name)</c>, matched in any letter case),
    /// or <see langword="null"/> (or empty) for the default chat model. Default: <see langword="null"/>.
    /// </summary>
    /// <remarks>
    /// A name that is not a configured chat model fails start-up. When the model is the offline extractive responder, which
    /// is not a language model, there is no judge: <see cref="EvaluationRunnerFactory.Judge"/> is <see langword="null"/> and
    /// LLM-as-judge metrics come back without a value and with an error diagnostic.
    /// </remarks>
    [ConfigurationExample("smart")]
    public string? JudgeModel { get; set; }

    /// <summary>Gets or sets the run name used in reports and usage tags. Default: <see cref="DefaultRunName"/>. Not empty.</summary>
    [Required(ErrorMessage = "{0} must not be empty: set it to the name the reports give the run")]
    [ConfigurationExample("nightly")]
    public string RunName { get; set; } = DefaultRunName;

    /// <summary>Gets or sets how many cases run at the same time. Default: <see cref="DefaultMaxConcurrency"/>. At least 1.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1")]
    public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

    /// <summary>
    /// Gets or sets the directory where each finished case is appended to <c>cases.jsonl</c>, so that a killed run resumes,
    /// or <see langword="null"/> to keep results in memory only. Default: <see langword="null"/>.
    /// </summary>
    public string? OutputDirectory { get; set; }

    /// <summary>Gets or sets a value indicating whether finished cases in <see cref="OutputDirectory"/> are reused. Default: <see langword="true"/>.</summary>
    [ConfigurationExample("false")]
    public bool Resume { get; set; } = true;

    /// <summary>
    /// Gets or sets the directory of the judge's disk response cache (a re-run with the same prompts makes no judge call), or
    /// <see langword="null"/> for none. Default: <see langword="null"/>.
    /// </summary>
    public string? CacheDirectory { get; set; }
}
