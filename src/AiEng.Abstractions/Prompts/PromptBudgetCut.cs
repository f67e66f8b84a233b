using AiEng.Shared;

namespace AiEng.Prompts;

/// <summary>One cut the token budget made: an input trimmed or shortened, or a whole role section dropped.</summary>
/// <remarks>
/// A cut to an input has <see cref="Section"/> <see langword="null"/>. A dropped section (its marker declares a priority,
/// as in <c>system (priority: 1):</c>) has <see cref="Section"/> set to its kind, <see cref="SectionLine"/> to the line of
/// its marker, <see cref="Input"/> empty, <see cref="ItemsDropped"/> the number of messages it no longer renders and
/// <see cref="Trimmed"/> <see langword="false"/>.
/// </remarks>
public sealed class PromptBudgetCut
{
    /// <summary>Initializes a new instance of the <see cref="PromptBudgetCut"/> class.</summary>
    /// <param name="input">The name of the input that was cut; empty when a whole section was dropped.</param>
    /// <param name="priority">The priority the input or section declares (lower is cut first).</param>
    /// <param name="itemsDropped">For a list input: how many items were dropped from its end; for a dropped section: how many messages it rendered.</param>
    /// <param name="tokensRemoved">How many tokens the cut saved in the rendered messages.</param>
    /// <param name="trimmed">For a text input: <see langword="true"/> when its end was trimmed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    public PromptBudgetCut(string input, int priority, int itemsDropped, int tokensRemoved, bool trimmed)
    {
        Input = Throw.IfNull(input);
        Priority = priority;
        ItemsDropped = itemsDropped;
        TokensRemoved = tokensRemoved;
        Trimmed = trimmed;
    }

    /// <summary>Gets the name of the input that was cut; empty when a whole section was dropped.</summary>
    public string Input { get; }

    /// <summary>Gets the priority the input or section declares (lower is cut first).</summary>
    public int Priority { get; }

    /// <summary>
    /// Gets, for a list input (for example few-shot examples), how many items were dropped from its end; for a dropped
    /// section, how many messages it rendered (an examples section renders two per example).
    /// </summary>
    public int ItemsDropped { get; }

    /// <summary>Gets how many tokens the cut saved in the rendered messages.</summary>
    public int TokensRemoved { get; }

    /// <summary>Gets, for a text input, whether its end was trimmed.</summary>
    public bool Trimmed { get; }

    /// <summary>
    /// Gets the kind of the role section the budget dropped whole (<c>system</c>, <c>user</c>, <c>assistant</c> or
    /// <c>examples</c>), or <see langword="null"/> (the default) when the cut is to an input.
    /// </summary>
    public string? Section { get; init; }

    /// <summary>Gets the 1-based file line of the marker of the dropped section, or 0 (the default) when the cut is to an input.</summary>
    public int SectionLine { get; init; }
}
