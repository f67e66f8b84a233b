using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>The result of rendering a prompt: the messages to send, the options, and a report.</summary>
/// <param name="Prompt">The prompt that was rendered.</param>
/// <param name="Messages">The chat messages, one per non-empty role section (example sections expand to user/assistant pairs).</param>
/// <param name="Options">The chat options from the prompt's model parameters; a new instance per render, free to change.</param>
/// <param name="Sections">The tokens of every rendered message, in order; empty when no tokens were counted.</param>
/// <param name="Cuts">What the token budget dropped or trimmed; empty when nothing was cut.</param>
/// <param name="Warnings">Warnings, for example unknown variables rendered empty in lenient mode.</param>
/// <param name="InputTokens">The estimated input tokens of <paramref name="Messages"/> (with message framing), or <see langword="null"/> when not counted.</param>
public sealed record PromptRenderResult(
    PromptId Prompt,
    IList<ChatMessage> Messages,
    ChatOptions Options,
    IReadOnlyList<PromptSectionTokens> Sections,
    IReadOnlyList<PromptBudgetCut> Cuts,
    IReadOnlyList<string> Warnings,
    int? InputTokens);
