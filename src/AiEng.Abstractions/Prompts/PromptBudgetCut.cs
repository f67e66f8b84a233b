namespace AiEng.Prompts;

/// <summary>One cut the token budget made to an input.</summary>
/// <param name="Input">The name of the input that was cut.</param>
/// <param name="Priority">The priority the input declares (lower is cut first).</param>
/// <param name="ItemsDropped">For a list input (for example few-shot examples): how many items were dropped from its end.</param>
/// <param name="TokensRemoved">How many tokens the cut saved in the rendered messages.</param>
/// <param name="Trimmed">For a text input: <see langword="true"/> when its end was trimmed.</param>
public sealed record PromptBudgetCut(string Input, int Priority, int ItemsDropped, int TokensRemoved, bool Trimmed);
