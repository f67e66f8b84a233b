namespace AiEng.Inference;

/// <summary>Selects the recorded calls whose spending <see cref="ISharedUsageLedger.GetSpendingAsync"/> totals: the calls a budget covers.</summary>
public sealed record UsageSpendingQuery
{
    /// <summary>Gets the operation (<c>chat</c> or <c>embeddings</c>, compared ignoring case), or <see langword="null"/> for every operation.</summary>
    public string? Operation { get; init; }

    /// <summary>
    /// Gets the model, or <see langword="null"/> for every model. A record matches when its model is this id or a variant of
    /// it (ignoring case, the id followed by <c>-</c>, <c>_</c>, <c>:</c>, <c>@</c> or <c>/</c> and more: <c>gpt-4o</c>
    /// covers <c>gpt-4o-2024-08-06</c>), as budgets and prices match models.
    /// </summary>
    public string? Model { get; init; }

    /// <summary>Gets the caller tag (compared exactly), or <see langword="null"/> for every caller.</summary>
    public string? CallerTag { get; init; }

    /// <summary>Gets the earliest call start to count (inclusive), or <see langword="null"/> for every call ever recorded.</summary>
    public DateTimeOffset? Since { get; init; }
}
