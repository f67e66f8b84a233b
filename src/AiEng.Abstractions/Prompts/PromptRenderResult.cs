using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>The result of rendering a prompt: the messages to send, the options, and a report.</summary>
public sealed class PromptRenderResult
{
    /// <summary>Initializes a new instance of the <see cref="PromptRenderResult"/> class.</summary>
    /// <param name="prompt">The prompt that was rendered.</param>
    /// <param name="messages">The chat messages, one per non-empty role section (example sections expand to user/assistant pairs).</param>
    /// <param name="options">The chat options from the prompt's model parameters.</param>
    /// <param name="sections">The tokens of every rendered message, in order; empty when no tokens were counted.</param>
    /// <param name="cuts">What the token budget dropped or trimmed; empty when nothing was cut.</param>
    /// <param name="warnings">Warnings, for example unknown variables rendered empty in lenient mode.</param>
    /// <param name="inputTokens">The estimated input tokens of <paramref name="messages"/> (with message framing), or <see langword="null"/> when not counted.</param>
    /// <exception cref="ArgumentNullException">
    /// <paramref name="prompt"/>, <paramref name="messages"/>, <paramref name="options"/>, <paramref name="sections"/>,
    /// <paramref name="cuts"/> or <paramref name="warnings"/> is <see langword="null"/>.
    /// </exception>
    public PromptRenderResult(
        PromptId prompt,
        IList<ChatMessage> messages,
        ChatOptions options,
        IReadOnlyList<PromptSectionTokens> sections,
        IReadOnlyList<PromptBudgetCut> cuts,
        IReadOnlyList<string> warnings,
        int? inputTokens)
    {
        Prompt = Throw.IfNull(prompt);
        Messages = Throw.IfNull(messages);
        Options = Throw.IfNull(options);
        Sections = Throw.IfNull(sections);
        Cuts = Throw.IfNull(cuts);
        Warnings = Throw.IfNull(warnings);
        InputTokens = inputTokens;
    }

    /// <summary>Gets the prompt that was rendered.</summary>
    public PromptId Prompt { get; }

    /// <summary>Gets the chat messages, one per non-empty role section (example sections expand to user/assistant pairs).</summary>
    public IList<ChatMessage> Messages { get; }

    /// <summary>Gets the chat options from the prompt's model parameters; a new instance per render, free to change.</summary>
    public ChatOptions Options { get; }

    /// <summary>Gets the tokens of every rendered message, in order; empty when no tokens were counted.</summary>
    public IReadOnlyList<PromptSectionTokens> Sections { get; }

    /// <summary>Gets what the token budget dropped or trimmed; empty when nothing was cut.</summary>
    public IReadOnlyList<PromptBudgetCut> Cuts { get; }

    /// <summary>Gets warnings, for example unknown variables rendered empty in lenient mode.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets the estimated input tokens of <see cref="Messages"/> (with message framing), or <see langword="null"/> when not counted.</summary>
    public int? InputTokens { get; }
}
