using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>The tokens of one rendered message.</summary>
/// <param name="Index">The position of the message in <see cref="PromptRenderResult.Messages"/>.</param>
/// <param name="Role">The role of the message.</param>
/// <param name="Section">The section kind: <c>system</c>, <c>user</c>, <c>assistant</c> or <c>examples</c>.</param>
/// <param name="Tokens">The content tokens of the message, without framing.</param>
public sealed record PromptSectionTokens(int Index, ChatRole Role, string Section, int Tokens);
