using System.ComponentModel.DataAnnotations;
using AiEng.Configuration;
using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>The price of one model, per million tokens, in <see cref="UsageTrackingOptions.Currency"/>.</summary>
/// <remarks>
/// Bindable from configuration, for example <c>AiEng:Usage:Prices:gpt-4o-mini:InputPerMillion = 0.15</c>. A model id with
/// <c>:</c> in it (a fine-tuned model such as <c>ft:gpt-4o-mini-2024-07-18:acme::9xYz</c>) cannot be a configuration key,
/// where <c>:</c> separates sections: key its entry by a name of your own and give the id in <see cref="Model"/>.
/// </remarks>
public sealed class ModelPrice
{
    /// <summary>The largest decimal, the upper bound of the prices' ranges.</summary>
    internal const string MaxDecimal = "79228162514264337593543950335";

    /// <summary>The message of a price or limit below zero.</summary>
    internal const string NotNegative = "{0} must be zero or positive";

    /// <summary>
    /// Gets or sets the model id this price is for, when the entry's key cannot be it; <see langword="null"/> (the default)
    /// when the key is the model id. Configuration reads <c>:</c> in a key as a section separator, so a fine-tuned model's id
    /// goes here: <c>"Prices": { "support-ft": { "Model": "ft:gpt-4o-mini-2024-07-18:acme::9xYz", "InputPerMillion": 0.3 } }</c>.
    /// It is matched as a key is: exactly, or as the longest id the called model is a variant of.
    /// </summary>
    [ConfigurationExample("ft:gpt-4o-mini-2024-07-18:acme::9xYz")]
    public string? Model { get; set; }

    /// <summary>Gets or sets the price of one million input (prompt) tokens that were not served from the provider's cache. Default 0.</summary>
    [Range(typeof(decimal), "0", MaxDecimal, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = NotNegative)]
    [ConfigurationExample("0.15")]
    public decimal InputPerMillion { get; set; }

    /// <summary>Gets or sets the price of one million output (completion, including reasoning) tokens. Default 0.</summary>
    [Range(typeof(decimal), "0", MaxDecimal, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = NotNegative)]
    [ConfigurationExample("0.6")]
    public decimal OutputPerMillion { get; set; }

    /// <summary>
    /// Gets or sets the price of one million input tokens served from the provider's prompt cache; <see langword="null"/>
    /// (the default) prices them like other input tokens at <see cref="InputPerMillion"/>.
    /// </summary>
    [Range(typeof(decimal), "0", MaxDecimal, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = NotNegative)]
    [ConfigurationExample("0.075")]
    public decimal? CachedInputPerMillion { get; set; }

    /// <summary>
    /// Gets or sets the price of one million training tokens when fine-tuning this model (billed per token in the training
    /// file, per epoch); <see langword="null"/> (the default) when the model cannot be fine-tuned or the price is not known.
    /// </summary>
    [Range(typeof(decimal), "0", MaxDecimal, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = NotNegative)]
    [ConfigurationExample("3")]
    public decimal? TrainingPerMillion { get; set; }

    /// <summary>
    /// Finds the price of a model in a price table: the exact key (or <see cref="Model"/>, when an entry sets it) first
    /// (case-insensitive), then the longest key the id is a
    /// variant of (the key followed by <c>-</c>, <c>_</c>, <c>:</c>, <c>@</c> or <c>/</c>, as a dated snapshot
    /// <c>gpt-4o-mini-2024-07-18</c> is of <c>gpt-4o-mini</c>), as the usage middleware prices calls.
    /// </summary>
    /// <param name="prices">The prices by model id, for example <see cref="UsageTrackingOptions.Prices"/>.</param>
    /// <param name="modelId">The model id.</param>
    /// <returns>The price, or <see langword="null"/> when the table has none for the model.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ModelPrice? Find(IEnumerable<KeyValuePair<string, ModelPrice>> prices, string modelId)
    {
        Throw.IfNull(prices);
        Throw.IfNull(modelId);
        ModelPrice? best = null;
        int bestLength = -1;
        foreach (KeyValuePair<string, ModelPrice> candidate in prices)
        {
            string id = candidate.Value?.Model ?? candidate.Key;
            if (string.Equals(id, modelId, StringComparison.OrdinalIgnoreCase))
            {
                return candidate.Value;
            }

            if (id.Length > bestLength && ModelIds.IsVariantOf(modelId, id))
            {
                best = candidate.Value;
                bestLength = id.Length;
            }
        }

        return best;
    }

    /// <summary>Computes the cost of one call.</summary>
    /// <param name="inputTokens">All input tokens, cached ones included.</param>
    /// <param name="outputTokens">The output tokens.</param>
    /// <param name="cachedInputTokens">How many of <paramref name="inputTokens"/> were served from the cache.</param>
    /// <returns>The cost in the price table's currency.</returns>
    public decimal GetCost(long inputTokens, long outputTokens, long cachedInputTokens)
    {
        long cached = Math.Clamp(cachedInputTokens, 0, Math.Max(inputTokens, 0));
        long uncached = Math.Max(inputTokens, 0) - cached;
        decimal perMillion = (uncached * InputPerMillion)
            + (cached * (CachedInputPerMillion ?? InputPerMillion))
            + (Math.Max(outputTokens, 0) * OutputPerMillion);
        return perMillion / 1_000_000m;
    }

    /// <summary>Copies the price for the usage middleware, which keeps it while the caller may still change the options it passed.</summary>
    internal ModelPrice Clone() => new()
    {
        Model = Model,
        InputPerMillion = InputPerMillion,
        OutputPerMillion = OutputPerMillion,
        CachedInputPerMillion = CachedInputPerMillion,
        TrainingPerMillion = TrainingPerMillion,
    };
}
