namespace AiEng.Testing;

/// <summary>One message of a chat completion request received by <see cref="OpenAITestServer"/>.</summary>
/// <param name="Role">The role, for example <c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Content">The text content; the text parts of a multi-part content joined with newlines; empty when there is none.</param>
public sealed record OpenAITestChatMessage(string Role, string Content);
