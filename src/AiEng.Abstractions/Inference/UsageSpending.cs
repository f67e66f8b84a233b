namespace AiEng.Inference;

/// <summary>The cost and tokens of a set of recorded calls, as <see cref="ISharedUsageLedger.GetSpendingAsync"/> totals them.</summary>
/// <param name="Cost">The summed cost of the priced calls, in the ledger's currency.</param>
/// <param name="Tokens">The summed input and output tokens of every call.</param>
public readonly record struct UsageSpending(decimal Cost, long Tokens);
