using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>
/// One preference-tuning (direct preference optimisation) example: a prompt, the answer to prefer and the answer to avoid
/// (OpenAI's preference fine-tuning format).
/// </summary>
public sealed class PreferenceExample
{
    /// <summary>Initializes a new instance of the <see cref="PreferenceExample"/> class.</summary>
    /// <param name="input">The prompt conversation, ending with the message the answers reply to; used as given, not copied.</param>
    /// <param name="preferred">The preferred answer (an assistant message).</param>
    /// <param name="nonPreferred">The rejected answer (an assistant message).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public PreferenceExample(IList<ChatMessage> input, ChatMessage preferred, ChatMessage nonPreferred)
    {
        Input = Throw.IfNull(input);
        Preferred = Throw.IfNull(preferred);
        NonPreferred = Throw.IfNull(nonPreferred);
    }

    /// <summary>Gets the prompt conversation.</summary>
    public IList<ChatMessage> Input { get; }

    /// <summary>Gets the preferred answer.</summary>
    public ChatMessage Preferred { get; }

    /// <summary>Gets the rejected answer.</summary>
    public ChatMessage NonPreferred { get; }

    /// <summary>Gets the tools (function declarations) the model may call; empty when it has none.</summary>
    public IList<AIFunctionDeclaration> Tools { get; init; } = [];

    /// <summary>Gets an identifier used in reports, or <see langword="null"/>; the JSONL reader sets it to <c>file:line</c>.</summary>
    public string? Id { get; init; }

    /// <summary>Gets a label for stratified splits and reports, or <see langword="null"/>.</summary>
    public string? Label { get; init; }
}
