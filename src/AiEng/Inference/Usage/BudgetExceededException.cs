using System.Globalization;
using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>
/// Thrown before a model call is sent when the call would take the spending of a configured <see cref="UsageBudget"/>
/// over its limit. Nothing was sent and nothing was recorded.
/// </summary>
public sealed class BudgetExceededException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="BudgetExceededException"/> class.</summary>
    public BudgetExceededException()
        : this("A usage budget would be exceeded.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BudgetExceededException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public BudgetExceededException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BudgetExceededException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public BudgetExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
        BudgetName = string.Empty;
        Currency = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="BudgetExceededException"/> class for a budget that a call would exceed.</summary>
    /// <param name="budgetName">The name of the budget (its key in <see cref="UsageTrackingOptions.Budgets"/>).</param>
    /// <param name="maxCost">The budget's cost limit, if any.</param>
    /// <param name="maxTokens">The budget's token limit, if any.</param>
    /// <param name="window">The budget's window.</param>
    /// <param name="spentCost">The cost already spent in the window.</param>
    /// <param name="spentTokens">The tokens already spent in the window.</param>
    /// <param name="estimatedCost">The estimated cost of the call, or <see langword="null"/> when its model has no price.</param>
    /// <param name="estimatedTokens">The estimated tokens (input plus maximum output) of the call.</param>
    /// <param name="currency">The currency of the costs.</param>
    /// <param name="windowEndsAt">When the budget's window ends and spending starts again from zero, if it has a window.</param>
    /// <exception cref="ArgumentNullException"><paramref name="budgetName"/> or <paramref name="currency"/> is <see langword="null"/>.</exception>
    public BudgetExceededException(
        string budgetName,
        decimal? maxCost,
        long? maxTokens,
        UsageBudgetWindow window,
        decimal spentCost,
        long spentTokens,
        decimal? estimatedCost,
        long estimatedTokens,
        string currency,
        DateTimeOffset? windowEndsAt)
    {
        BudgetName = Throw.IfNull(budgetName);
        MaxCost = maxCost;
        MaxTokens = maxTokens;
        Window = window;
        SpentCost = spentCost;
        SpentTokens = spentTokens;
        EstimatedCost = estimatedCost;
        EstimatedTokens = estimatedTokens;
        Currency = Throw.IfNull(currency);
        WindowEndsAt = windowEndsAt;
    }

    /// <summary>Gets the name of the budget (its key in <see cref="UsageTrackingOptions.Budgets"/>).</summary>
    public string BudgetName { get; }

    /// <summary>Gets the budget's cost limit, if any.</summary>
    public decimal? MaxCost { get; }

    /// <summary>Gets the budget's token limit, if any.</summary>
    public long? MaxTokens { get; }

    /// <summary>Gets the budget's window.</summary>
    public UsageBudgetWindow Window { get; }

    /// <summary>Gets the cost already spent in the budget's current window.</summary>
    public decimal SpentCost { get; }

    /// <summary>Gets the tokens (input plus output) already spent in the budget's current window.</summary>
    public long SpentTokens { get; }

    /// <summary>Gets the estimated cost of the refused call, or <see langword="null"/> when its model has no price.</summary>
    public decimal? EstimatedCost { get; }

    /// <summary>Gets the estimated tokens of the refused call: its input tokens plus the output tokens it may produce.</summary>
    public long EstimatedTokens { get; }

    /// <summary>Gets the currency of the costs.</summary>
    public string Currency { get; }

    /// <summary>Gets when the budget's window ends and spending starts again from zero; <see langword="null"/> without a window.</summary>
    public DateTimeOffset? WindowEndsAt { get; }

    /// <inheritdoc />
    public override string Message => BudgetName.Length == 0 ? base.Message : FormatMessage();

    private string FormatMessage()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        string limit = (MaxCost, MaxTokens) switch
        {
            ({ } cost, { } tokens) => string.Format(c, "max cost {0} {1}, max tokens {2:N0}", cost, Currency, tokens),
            ({ } cost, null) => string.Format(c, "max cost {0} {1}", cost, Currency),
            _ => string.Format(c, "max tokens {0:N0}", MaxTokens),
        };
        string per = Window == UsageBudgetWindow.None ? string.Empty : string.Format(c, " per {0}", Window.ToString().ToLowerInvariant());
        string estimate = EstimatedCost is { } estimated
            ? string.Format(c, "{0} {1} ({2:N0} tokens)", estimated, Currency, EstimatedTokens)
            : string.Format(c, "{0:N0} tokens (the model has no price)", EstimatedTokens);
        string reset = WindowEndsAt is { } end ? string.Format(c, ", wait for the window to reset at {0:u}", end) : string.Empty;
        return string.Format(
            c,
            "The call would exceed usage budget '{0}' ({1}{2}): spent {3} {4} and {5:N0} tokens, this call is estimated at {6}. " +
            "Raise the limit in {7}:Budgets:{0}{8}, or lower the call's MaxOutputTokens or input.",
            BudgetName,
            limit,
            per,
            SpentCost,
            Currency,
            SpentTokens,
            estimate,
            UsageTrackingOptions.ConfigurationSection,
            reset);
    }
}
