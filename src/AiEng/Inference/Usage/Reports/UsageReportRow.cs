namespace AiEng.Inference;

/// <summary>One group of a <see cref="UsageReport"/>: a model, a feature, a caller tag, a day, or all records.</summary>
public sealed record UsageReportRow
{
    /// <summary>Gets the group's name: a model id, an operation, a caller tag (<c>(none)</c> for calls without one), a day as
    /// <c>yyyy-MM-dd</c>, or <c>total</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the number of calls, cache hits included.</summary>
    public long Calls { get; init; }

    /// <summary>Gets the number of calls a cache answered instead of the model (<see cref="UsageRecord.IsCacheHit"/>).</summary>
    public long CacheHits { get; init; }

    /// <summary>Gets the number of calls a model cascade made because the answers before them were not accepted (<see cref="UsageRecord.CascadeStep"/> above 0).</summary>
    public long Escalations { get; init; }

    /// <summary>Gets the input tokens, cached input included.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the total cost of the priced calls.</summary>
    public decimal Cost { get; init; }

    /// <summary>
    /// Gets what the cache hits would have cost: each hit is valued at the mean cost of the paid calls of its model and
    /// operation among the records reported (a hit of a model with no paid call in the period is valued at zero).
    /// </summary>
    public decimal EstimatedSavings { get; init; }

    /// <summary>Gets the number of calls with no price (a model missing from <c>AiEng:Usage:Prices</c>), cache hits excluded.</summary>
    public long UnpricedCalls { get; init; }

    /// <summary>Gets the number of calls whose tokens were estimated rather than reported by the provider.</summary>
    public long EstimatedCalls { get; init; }

    /// <summary>Gets the median latency of the calls.</summary>
    public TimeSpan LatencyP50 { get; init; }

    /// <summary>Gets the 95th percentile latency of the calls.</summary>
    public TimeSpan LatencyP95 { get; init; }
}
