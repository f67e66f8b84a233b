using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>The tokens of one rendered message.</summary>
public sealed class PromptSectionTokens
{
    /// <summary>Initializes a new instance of the <see cref="PromptSectionTokens"/> class.</summary>
    /// <param name="index">The position of the message in <see cref="PromptRenderResult.Messages"/>.</param>
    /// <param name="role">The role of the message.</param>
    /// <param name="section">The section kind: <c>system</c>, <c>user</c>, <c>assistant</c> or <c>examples</c>.</param>
    /// <param name="tokens">The content tokens of the message, without framing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is <see langword="null"/>.</exception>
    public PromptSectionTokens(int index, ChatRole role, string section, int tokens)
    {
        Index = index;
        Role = role;
        Section = Throw.IfNull(section);
        Tokens = tokens;
    }

    /// <summary>Gets the position of the message in <see cref="PromptRenderResult.Messages"/>.</summary>
    public int Index { get; }

    /// <summary>Gets the role of the message.</summary>
    public ChatRole Role { get; }

    /// <summary>Gets the section kind: <c>system</c>, <c>user</c>, <c>assistant</c> or <c>examples</c>.</summary>
    public string Section { get; }

    /// <summary>Gets the content tokens of the message, without framing.</summary>
    public int Tokens { get; }
}
