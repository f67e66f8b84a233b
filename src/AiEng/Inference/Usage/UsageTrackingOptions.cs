using System.Globalization;
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
    public int DefaultMaxOutputTokensForBudget { get; set; } = 1024;

    /// <summary>
    /// Gets or sets a value indicating whether to emit AiEng's own metrics on the meter <c>AiEng</c>: the counters
    /// <c>aieng.usage.cost</c> and <c>aieng.usage.budget.exceeded</c>. Default <see langword="false"/> (opt-in). The meter
    /// comes from the <see cref="System.Diagnostics.Metrics.IMeterFactory"/> in the services when there is one. Token counts
    /// and durations (<c>gen_ai.client.token.usage</c>, <c>gen_ai.client.operation.duration</c>) are not duplicated here:
    /// add Microsoft.Extensions.AI's <c>UseOpenTelemetry</c> to the pipeline for them.
    /// </summary>
    public bool EnableMetrics { get; set; }

    /// <summary>Creates a deep copy of these options (prices and budgets included).</summary>
    /// <returns>The copy.</returns>
    public UsageTrackingOptions Clone()
    {
        var clone = new UsageTrackingOptions
        {
            Currency = Currency,
            DefaultCallerTag = DefaultCallerTag,
            DefaultMaxOutputTokensForBudget = DefaultMaxOutputTokensForBudget,
            EnableMetrics = EnableMetrics,
        };

        foreach (KeyValuePair<string, ModelPrice> price in Prices)
        {
            clone.Prices[price.Key] = price.Value?.Clone()!;
        }

        foreach (KeyValuePair<string, UsageBudget> budget in Budgets)
        {
            clone.Budgets[budget.Key] = budget.Value?.Clone()!;
        }

        return clone;
    }

    /// <summary>
    /// Checks these options and adds a message for each problem to <paramref name="errors"/>; each message names the
    /// configuration key (for example <c>AiEng:Usage:Prices:gpt-4o:InputPerMillion</c>) and says what a valid value is.
    /// </summary>
    /// <param name="configurationPath">The configuration section the options came from, usually <see cref="ConfigurationSection"/>.</param>
    /// <param name="errors">Receives one message per problem.</param>
    /// <exception cref="ArgumentNullException"><paramref name="configurationPath"/> or <paramref name="errors"/> is <see langword="null"/>.</exception>
    public void Validate(string configurationPath, ICollection<string> errors)
    {
        Throw.IfNull(configurationPath);
        Throw.IfNull(errors);

        if (string.IsNullOrWhiteSpace(Currency))
        {
            errors.Add($"{configurationPath}:Currency must not be empty; use an ISO 4217 code such as 'USD'.");
        }

        if (DefaultMaxOutputTokensForBudget < 0)
        {
            errors.Add($"{configurationPath}:DefaultMaxOutputTokensForBudget must be zero or positive (was {DefaultMaxOutputTokensForBudget}); for example 1024.");
        }

        foreach (KeyValuePair<string, ModelPrice> entry in Prices)
        {
            string path = $"{configurationPath}:Prices:{entry.Key}";
            if (string.IsNullOrWhiteSpace(entry.Key))
            {
                errors.Add($"{configurationPath}:Prices has an empty model id; key each price by a model id such as 'gpt-4o-mini'.");
            }

            if (entry.Value is not { } price)
            {
                errors.Add($"{path} has no price; set InputPerMillion and OutputPerMillion.");
                continue;
            }

            CheckNotNegative(price.InputPerMillion, $"{path}:InputPerMillion", errors);
            CheckNotNegative(price.OutputPerMillion, $"{path}:OutputPerMillion", errors);
            if (price.CachedInputPerMillion is decimal cached)
            {
                CheckNotNegative(cached, $"{path}:CachedInputPerMillion", errors);
            }
        }

        foreach (KeyValuePair<string, UsageBudget> entry in Budgets)
        {
            string path = $"{configurationPath}:Budgets:{entry.Key}";
            if (string.IsNullOrWhiteSpace(entry.Key))
            {
                errors.Add($"{configurationPath}:Budgets has an empty name; name each budget, for example 'daily'.");
            }

            if (entry.Value is not { } budget)
            {
                errors.Add($"{path} has no settings; set MaxCost and/or MaxTokens.");
                continue;
            }

            if (budget.MaxCost is null && budget.MaxTokens is null)
            {
                errors.Add($"{path} sets no limit; set MaxCost (in {Currency}) and/or MaxTokens.");
            }

            if (budget.MaxCost is decimal maxCost)
            {
                CheckNotNegative(maxCost, $"{path}:MaxCost", errors);
            }

            if (budget.MaxTokens is < 0)
            {
                errors.Add($"{path}:MaxTokens must be zero or positive (was {budget.MaxTokens.Value.ToString(CultureInfo.InvariantCulture)}).");
            }

            if (budget.Operation is { } operation && !string.Equals(operation, UsageOperations.Chat, StringComparison.OrdinalIgnoreCase) && !string.Equals(operation, UsageOperations.Embeddings, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{path}:Operation must be '{UsageOperations.Chat}', '{UsageOperations.Embeddings}' or empty for both (was '{operation}').");
            }

            if (!Enum.IsDefined(budget.Window))
            {
                errors.Add($"{path}:Window must be None, Hour, Day or Month (was {(int)budget.Window}).");
            }
        }
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

    private static void CheckNotNegative(decimal value, string key, ICollection<string> errors)
    {
        if (value < 0)
        {
            errors.Add($"{key} must be zero or positive (was {value.ToString(CultureInfo.InvariantCulture)}).");
        }
    }
}
