namespace AiEng.Offline;

/// <summary>One sentence of the context, with the citation that points back to where it came from.</summary>
/// <param name="Text">The sentence as written.</param>
/// <param name="Citation">The marker to cite it by: <c>[2]</c> for numbered source 2, otherwise the number of its message.</param>
/// <param name="MessageNote">For a sentence cited by its message, a description such as <c>message 1 (system)</c>; otherwise null.</param>
/// <param name="Position">The sentence's position in the conversation, used to break ties.</param>
internal sealed record ContextSentence(string Text, string Citation, string? MessageNote, int Position);
