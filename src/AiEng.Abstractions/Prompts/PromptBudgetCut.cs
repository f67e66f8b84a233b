namespace AiEng.Prompts;

/// <summary>One cut the token budget made: an input trimmed or shortened, or a whole role section dropped.</summary>
/// <remarks>
/// A cut to an input has <see cref="Section"/> <see langword="null"/>. A dropped section (its marker declares a priority,
/// as in <c>system (priority: 1):</c>) has <see cref="Section"/> set to its kind, <see cref="SectionLine"/> to the line of
/// its marker, <see cref="Input"/> empty, <see cref="ItemsDropped"/> the number of messages it no longer renders and
/// <see cref="Trimmed"/> <see langword="false"/>.
/// </remarks>
/// <param name="Input">The name of the input that was cut; empty when a whole section was dropped.</param>
/// <param name="Priority">The priority the input or section declares (lower is cut first).</param>
/// <param name="ItemsDropped">
/// For a list input (for example few-shot examples): how many items were dropped from its end. For a dropped section: how
/// many messages it rendered (an examples section renders two per example).
/// </param>
/// <param name="TokensRemoved">How many tokens the cut saved in the rendered messages.</param>
/// <param name="Trimmed">For a text input: <see langword="true"/> when its end was trimmed.</param>
public sealed record PromptBudgetCut(string Input, int Priority, int ItemsDropped, int TokensRemoved, bool Trimmed)
{
    /// <summary>
    /// Gets the kind of the role section the budget dropped whole (<c>system</c>, <c>user</c>, <c>assistant</c> or
    /// <c>examples</c>), or <see langword="null"/> (the default) when the cut is to an input.
    /// </summary>
    public string? Section { get; init; }

    /// <summary>Gets the 1-based file line of the marker of the dropped section, or 0 (the default) when the cut is to an input.</summary>
    public int SectionLine { get; init; }
}
