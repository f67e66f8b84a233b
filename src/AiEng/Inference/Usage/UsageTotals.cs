namespace AiEng.Inference;

/// <summary>The summed usage of a set of calls (all of them, or one model, operation, caller tag or provider).</summary>
public sealed record UsageTotals
{
    /// <summary>Gets totals of no calls.</summary>
    public static UsageTotals Empty { get; } = new();

    /// <summary>Gets the number of calls.</summary>
    public long Calls { get; init; }

    /// <summary>Gets the input tokens, cached ones included.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the input tokens served from the provider's prompt cache.</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Gets the input plus output tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Gets the summed cost of the calls that have one (see <see cref="UnpricedCalls"/>).</summary>
    public decimal Cost { get; init; }

    /// <summary>Gets how many calls had their tokens estimated with a tokenizer.</summary>
    public long EstimatedCalls { get; init; }

    /// <summary>Gets how many calls had no cost because their model has no price; <see cref="Cost"/> leaves them out.</summary>
    public long UnpricedCalls { get; init; }

    /// <summary>Gets how many of the calls a cache answered instead of the model (<see cref="UsageRecord.IsCacheHit"/>); they cost nothing.</summary>
    public long CacheHits { get; init; }

    /// <summary>
    /// Gets how many of the calls were escalations of a cascade (<see cref="UsageRecord.CascadeStep"/> of 1 or more): calls
    /// made because a cheaper model's answer was not accepted.
    /// </summary>
    public long Escalations { get; init; }

    /// <summary>Gets the summed latency of the calls.</summary>
    public TimeSpan TotalLatency { get; init; }
}
