namespace AiEng.Inference;

/// <summary>
/// The running spending of every record that matches one set of budget filters, in the current window. Budgets with the
/// same filters and window share one accumulator. Mutated only under the owning <see cref="BudgetTracker"/>'s lock.
/// </summary>
internal sealed class BudgetAccumulator
{
    public BudgetAccumulator(string? model, string? callerTag, string? operation, UsageBudgetWindow window)
    {
        Model = model;
        CallerTag = callerTag;
        Operation = operation;
        Window = window;
    }

    public string? Model { get; }

    public string? CallerTag { get; }

    public string? Operation { get; }

    public UsageBudgetWindow Window { get; }

    public DateTimeOffset WindowStart { get; private set; } = DateTimeOffset.MinValue;

    public decimal Cost { get; private set; }

    public long Tokens { get; private set; }

    public bool HasSameFilters(UsageBudget budget) =>
        string.Equals(Model, budget.Model, StringComparison.OrdinalIgnoreCase)
        && string.Equals(CallerTag, budget.CallerTag, StringComparison.Ordinal)
        && string.Equals(Operation, budget.Operation, StringComparison.OrdinalIgnoreCase)
        && Window == budget.Window;

    public bool Matches(string operation, string model, string? callerTag) =>
        (Operation is null || string.Equals(Operation, operation, StringComparison.OrdinalIgnoreCase))
        && (CallerTag is null || string.Equals(CallerTag, callerTag, StringComparison.Ordinal))
        && (Model is null || ModelIds.IsVariantOf(model, Model));

    /// <summary>Adds a record that started at its <see cref="UsageRecord.Timestamp"/>; records of an earlier window are ignored.</summary>
    public void Add(UsageRecord record)
    {
        DateTimeOffset start = BudgetWindows.GetStart(Window, record.Timestamp);
        if (start > WindowStart)
        {
            WindowStart = start;
            Cost = 0;
            Tokens = 0;
        }
        else if (start < WindowStart)
        {
            return;
        }

        Cost += record.Cost ?? 0;
        Tokens += record.InputTokens + record.OutputTokens;
    }

    /// <summary>Gets the spending in the window that contains <paramref name="now"/>.</summary>
    public (decimal Cost, long Tokens) GetSpent(DateTimeOffset now) =>
        BudgetWindows.GetStart(Window, now) > WindowStart ? (0, 0) : (Cost, Tokens);
}
