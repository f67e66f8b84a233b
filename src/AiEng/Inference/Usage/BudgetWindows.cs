namespace AiEng.Inference;

/// <summary>Calendar arithmetic of <see cref="UsageBudgetWindow"/>s, in UTC.</summary>
internal static class BudgetWindows
{
    /// <summary>Gets the start of the window that contains <paramref name="time"/>; <see cref="DateTimeOffset.MinValue"/> for <see cref="UsageBudgetWindow.None"/>.</summary>
    public static DateTimeOffset GetStart(UsageBudgetWindow window, DateTimeOffset time)
    {
        DateTimeOffset utc = time.ToUniversalTime();
        return window switch
        {
            UsageBudgetWindow.Hour => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
            UsageBudgetWindow.Day => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            UsageBudgetWindow.Month => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => DateTimeOffset.MinValue,
        };
    }

    /// <summary>Gets when the window that contains <paramref name="time"/> ends; <see langword="null"/> for <see cref="UsageBudgetWindow.None"/>.</summary>
    public static DateTimeOffset? GetEnd(UsageBudgetWindow window, DateTimeOffset time)
    {
        DateTimeOffset start = GetStart(window, time);
        return window switch
        {
            UsageBudgetWindow.Hour => start.AddHours(1),
            UsageBudgetWindow.Day => start.AddDays(1),
            UsageBudgetWindow.Month => start.AddMonths(1),
            _ => null,
        };
    }
}
