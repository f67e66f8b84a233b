using System.ComponentModel.DataAnnotations;
using AiEng.Composition;
using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>
/// Options of usage tracking (<c>UseUsageTracking</c>): the price table, budgets, the default caller tag and metrics.
/// Bindable from configuration; the AiEng DI layer binds the section <c>AiEng:Usage</c>.
/// </summary>
/// <remarks>
/// <para>Configuration shape:</para>
/// <code>
/// "AiEng": { "Usage": {
///   "Currency": "USD",
///   "DefaultCallerTag": "web",
///   "DefaultMaxOutputTokensForBudget": 1024,
///   "EnableMetrics": true,
///   "Prices": { "gpt-4o-mini": { "InputPerMillion": 0.15, "OutputPerMillion": 0.6, "CachedInputPerMillion": 0.075 } },
///   "Budgets": { "daily": { "MaxCost": 5, "Window": "Day" }, "support-bot": { "MaxTokens": 200000, "CallerTag": "support" } }
/// } }
/// </code>
/// <para>
/// No prices are built in (they change too often to ship): calls to models without a price are recorded with a
/// <see langword="null"/> <see cref="UsageRecord.Cost"/>. Configuration keys cannot contain <c>:</c>, so price an
/// Ollama model such as <c>llama3.2:3b</c> by its prefix <c>llama3.2</c>.
/// </para>
/// </remarks>
public sealed class UsageTrackingOptions
{
    /// <summary>The configuration section the AiEng DI layer binds these options from.</summary>
    public const string ConfigurationSection = "AiEng:Usage";

    /// <summary>
    /// Gets the price table: model id to price per million tokens. Keys are matched case-insensitively, exactly first,
    /// then as the longest key the model id starts with followed by <c>-</c>, <c>_</c>, <c>:</c>, <c>@</c> or <c>/</c>
    /// (so <c>gpt-4o-mini-2024-07-18</c> is priced as <c>gpt-4o-mini</c>, but <c>gpt-4o</c> never as <c>gpt-4</c>). Empty by default.
    /// </summary>
    public IDictionary<string, ModelPrice> Prices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the currency of <see cref="Prices"/>, costs and cost limits (a label only; nothing is converted). Default <c>USD</c>.</summary>
    [Required(ErrorMessage = "{0} must not be empty; use an ISO 4217 code")]
    public string Currency { get; set; } = "USD";

    /// <summary>Gets the named budgets; a call that would exceed any of them fails before it is sent. Empty by default.</summary>
    public IDictionary<string, UsageBudget> Budgets { get; } = new Dictionary<string, UsageBudget>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the caller tag of calls that have none of their own (neither per call through
    /// <see cref="UsageScope.CallerTagKey"/> nor from an ambient <see cref="UsageScope"/>). Default <see langword="null"/>.
    /// </summary>
    public string? DefaultCallerTag { get; set; }

    /// <summary>
    /// Gets or sets the output tokens a budget check assumes for a chat call whose <see cref="Microsoft.Extensions.AI.ChatOptions.MaxOutputTokens"/>
    /// is not set. Default 1024.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "{0} must be zero or positive")]
    public int DefaultMaxOutputTokensForBudget { get; set; } = 1024;

    /// <summary>
    /// Gets or sets a value indicating whether to emit AiEng's own metrics on the meter <c>AiEng</c>: the counters
    /// <c>aieng.usage.cost</c> and <c>aieng.usage.budget.exceeded</c>. Default <see langword="false"/> (opt-in). The meter
    /// comes from the <see cref="System.Diagnostics.Metrics.IMeterFactory"/> in the services when there is one. Token counts
    /// and durations (<c>gen_ai.client.token.usage</c>, <c>gen_ai.client.operation.duration</c>) are not duplicated here:
    /// add Microsoft.Extensions.AI's <c>UseOpenTelemetry</c> to the pipeline for them.
    /// </summary>
    public bool EnableMetrics { get; set; }

    /// <summary>
    /// Checks these options and adds a message for each problem to <paramref name="errors"/>; each message names the
    /// configuration key (for example <c>AiEng:Usage:Prices:gpt-4o:InputPerMillion</c>), its environment variable and what a
    /// valid value is.
    /// </summary>
    /// <param name="configurationPath">The configuration section the options came from, usually <see cref="ConfigurationSection"/>.</param>
    /// <param name="errors">Receives one message per problem.</param>
    /// <exception cref="ArgumentNullException"><paramref name="configurationPath"/> or <paramref name="errors"/> is <see langword="null"/>.</exception>
    public void Validate(string configurationPath, ICollection<string> errors)
    {
        Throw.IfNull(configurationPath);
        Throw.IfNull(errors);
        AnnotationFailures.Add(new UsageTrackingOptionsAnnotationValidator(), this, configurationPath, errors);
        UsageTrackingOptionsValidator.AddErrors(this, configurationPath, errors);
    }

    internal void ThrowIfInvalid(string paramName)
    {
        var errors = new List<string>();
        Validate(ConfigurationSection, errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The usage tracking options are invalid: {string.Join(" ", errors)}", paramName);
        }
    }
}
