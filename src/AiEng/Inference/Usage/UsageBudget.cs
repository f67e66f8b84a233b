using System.ComponentModel.DataAnnotations;
using AiEng.Configuration;

namespace AiEng.Inference;

/// <summary>
/// A spending limit on model calls: a maximum cost and/or a maximum number of tokens (input plus output), optionally
/// only for one model, caller tag or operation, optionally per <see cref="Window"/>. A call that would take the spending
/// over a limit fails with <see cref="BudgetExceededException"/> before it is sent.
/// </summary>
/// <remarks>
/// <para>
/// Bindable from configuration, for example <c>AiEng:Usage:Budgets:daily:MaxCost = 5</c> and
/// <c>AiEng:Usage:Budgets:daily:Window = Day</c>. Spending is what the ledger has recorded; the estimate of the call
/// about to be made is its input tokens counted with a tokenizer plus <see cref="Microsoft.Extensions.AI.ChatOptions.MaxOutputTokens"/>
/// (or <see cref="UsageTrackingOptions.DefaultMaxOutputTokensForBudget"/>), priced with the price table.
/// </para>
/// <para>
/// Calls to a model without a price add nothing to a cost limit (their cost is unknown). Concurrent calls are checked
/// independently, so a burst of parallel calls can together overshoot a limit by up to their estimates.
/// </para>
/// </remarks>
public sealed class UsageBudget
{
    private const string OperationNames = "{0} must be chat or embeddings, or unset for both";

    /// <summary>Gets or sets the maximum cost in <see cref="UsageTrackingOptions.Currency"/>; <see langword="null"/> (default) for no cost limit.</summary>
    [Range(typeof(decimal), "0", ModelPrice.MaxDecimal, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = ModelPrice.NotNegative)]
    [ConfigurationExample("5")]
    public decimal? MaxCost { get; set; }

    /// <summary>Gets or sets the maximum number of tokens (input plus output); <see langword="null"/> (default) for no token limit.</summary>
    [Range(typeof(long), "0", "9223372036854775807", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = ModelPrice.NotNegative)]
    [ConfigurationExample("200000")]
    public long? MaxTokens { get; set; }

    /// <summary>
    /// Gets or sets the model the budget applies to; <see langword="null"/> (default) for all models. Matched like prices:
    /// the exact id or an id that starts with it followed by <c>-</c>, <c>_</c>, <c>:</c>, <c>@</c> or <c>/</c>, case-insensitively.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the caller tag the budget applies to (exact match); <see langword="null"/> (default) for all callers.</summary>
    public string? CallerTag { get; set; }

    /// <summary>Gets or sets the operation the budget applies to, <c>chat</c> or <c>embeddings</c>; <see langword="null"/> (default) for both.</summary>
    [RegularExpression("^(?i:chat|embeddings)$", ErrorMessage = OperationNames)]
    [MinLength(1, ErrorMessage = OperationNames)]
    [ConfigurationExample("chat")]
    public string? Operation { get; set; }

    /// <summary>Gets or sets the period after which spending starts again from zero. Default <see cref="UsageBudgetWindow.None"/>.</summary>
    [EnumDataType(typeof(UsageBudgetWindow), ErrorMessage = "{0} must be a window")]
    [ConfigurationExample("Day")]
    public UsageBudgetWindow Window { get; set; }

    /// <summary>Copies the budget for the usage middleware, which keeps it while the caller may still change the options it passed.</summary>
    internal UsageBudget Clone() => new()
    {
        MaxCost = MaxCost,
        MaxTokens = MaxTokens,
        Model = Model,
        CallerTag = CallerTag,
        Operation = Operation,
        Window = Window,
    };
}
