using System.Runtime.CompilerServices;

namespace AiEng.Inference;

/// <summary>
/// Keeps the running spending that budgets are checked against, per ledger, so that every middleware writing to the same
/// ledger shares it and a check costs O(budgets), not O(records). A <see cref="UsageLedger"/> owns and feeds its tracker
/// itself; for any other <see cref="IUsageLedger"/> the tracker lives beside it and is fed by AiEng's middleware.
/// </summary>
internal sealed class BudgetTracker
{
    private static readonly ConditionalWeakTable<IUsageLedger, BudgetTracker> Foreign = [];

    private readonly Lock _gate = new();
    private BudgetAccumulator[] _accumulators = [];

    /// <summary>Gets the tracker kept beside a ledger that is not a <see cref="UsageLedger"/> (which owns its own).</summary>
    public static BudgetTracker ForForeignLedger(IUsageLedger ledger) => Foreign.GetValue(ledger, static _ => new BudgetTracker());

    /// <summary>Gets or creates the accumulator for the filters and window of <paramref name="budget"/>, seeded with <paramref name="existing"/> records.</summary>
    public BudgetAccumulator Register(UsageBudget budget, IEnumerable<UsageRecord> existing)
    {
        lock (_gate)
        {
            foreach (BudgetAccumulator candidate in _accumulators)
            {
                if (candidate.HasSameFilters(budget))
                {
                    return candidate;
                }
            }

            var accumulator = new BudgetAccumulator(budget.Model, budget.CallerTag, budget.Operation, budget.Window);
            foreach (UsageRecord record in existing)
            {
                AddIfMatching(accumulator, record);
            }

            _accumulators = [.. _accumulators, accumulator];
            return accumulator;
        }
    }

    /// <summary>Adds a new record to every accumulator whose filters it matches.</summary>
    public void Add(UsageRecord record)
    {
        if (Volatile.Read(ref _accumulators).Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (BudgetAccumulator accumulator in _accumulators)
            {
                AddIfMatching(accumulator, record);
            }
        }
    }

    /// <summary>Gets the spending of <paramref name="accumulator"/> in the window that contains <paramref name="now"/>.</summary>
    public (decimal Cost, long Tokens) GetSpent(BudgetAccumulator accumulator, DateTimeOffset now)
    {
        lock (_gate)
        {
            return accumulator.GetSpent(now);
        }
    }

    private static void AddIfMatching(BudgetAccumulator accumulator, UsageRecord record)
    {
        if (accumulator.Matches(record.Operation, record.Model, record.CallerTag))
        {
            accumulator.Add(record);
        }
    }
}
