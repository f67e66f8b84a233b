using System.ComponentModel.DataAnnotations;
using AiEng.Configuration;

namespace AiEng.Inference;

/// <summary>The price of one model, per million tokens, in <see cref="UsageTrackingOptions.Currency"/>.</summary>
/// <remarks>Bindable from configuration, for example <c>AiEng:Usage:Prices:gpt-4o-mini:InputPerMillion = 0.15</c>.</remarks>
public sealed class ModelPrice
{
    /// <summary>The largest decimal, the upper bound of the prices' ranges.</summary>
    internal const string MaxDecimal = "79228162514264337593543950335";

    /// <summary>The message of a price or limit below zero.</summary>
    internal const string NotNegative = "{0} must be zero or positive";

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
        InputPerMillion = InputPerMillion,
        OutputPerMillion = OutputPerMillion,
        CachedInputPerMillion = CachedInputPerMillion,
    };
}
