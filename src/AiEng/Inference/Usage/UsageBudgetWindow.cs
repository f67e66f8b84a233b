namespace AiEng.Inference;

/// <summary>The period over which a <see cref="UsageBudget"/> accumulates spending before it starts again from zero.</summary>
/// <remarks>Windows are calendar periods in UTC (a day runs from 00:00 to 24:00 UTC), measured with the injected <see cref="TimeProvider"/>.</remarks>
public enum UsageBudgetWindow
{
    /// <summary>No window: the budget counts everything recorded in the ledger.</summary>
    None = 0,

    /// <summary>The current UTC clock hour.</summary>
    Hour = 1,

    /// <summary>The current UTC day.</summary>
    Day = 2,

    /// <summary>The current UTC calendar month.</summary>
    Month = 3,
}
