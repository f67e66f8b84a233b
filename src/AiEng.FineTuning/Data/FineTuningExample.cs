using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>
/// One chat fine-tuning example: a conversation whose assistant messages the model learns to produce, and the tools the
/// model may call in it (OpenAI's chat fine-tuning format).
/// </summary>
/// <remarks>
/// <para>
/// Messages are Microsoft.Extensions.AI <see cref="ChatMessage"/>s: text is <see cref="TextContent"/>, an assistant's tool
/// calls are <see cref="FunctionCallContent"/> and a tool message's result is <see cref="FunctionResultContent"/>, so an
/// example is built from, and sent to, the same types as inference.
/// </para>
/// <para>
/// An assistant message may carry a training weight (see <see cref="GetWeight"/> and <see cref="SetWeight"/>): 1 (the
/// default) trains on the message, 0 keeps it as context only.
/// </para>
/// </remarks>
public sealed class FineTuningExample
{
    /// <summary>The key of a message's training weight in <see cref="ChatMessage.AdditionalProperties"/>.</summary>
    public const string WeightProperty = "weight";

    /// <summary>Initializes a new instance of the <see cref="FineTuningExample"/> class.</summary>
    /// <param name="messages">The conversation, in order; the list is used as given, not copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    public FineTuningExample(IList<ChatMessage> messages)
    {
        Messages = Throw.IfNull(messages);
    }

    /// <summary>Gets the conversation, in order.</summary>
    public IList<ChatMessage> Messages { get; }

    /// <summary>Gets the tools (function declarations) the model may call in this example; empty when it has none.</summary>
    public IList<AIFunctionDeclaration> Tools { get; init; } = [];

    /// <summary>
    /// Gets an identifier used in reports, or <see langword="null"/>; the JSONL reader sets it to <c>file:line</c>.
    /// It is not written to the training file.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>
    /// Gets a label (for example a category) for stratified splits and reports, or <see langword="null"/>. It is not
    /// written to the training file.
    /// </summary>
    public string? Label { get; init; }

    /// <summary>Gets the training weight of a message: 0 or 1 when set, or <see langword="null"/> (which trains an assistant message).</summary>
    /// <param name="message">The message.</param>
    /// <returns>The weight, or <see langword="null"/> when none is set or the stored value is not a number.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static int? GetWeight(ChatMessage message)
    {
        Throw.IfNull(message);
        if (message.AdditionalProperties is null || !message.AdditionalProperties.TryGetValue(WeightProperty, out object? value))
        {
            return null;
        }

        return value switch
        {
            int i => i,
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            double d when d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
            _ => null,
        };
    }

    /// <summary>Sets or removes the training weight of an assistant message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="weight">0 to keep the message as context only, 1 to train on it, or <see langword="null"/> to remove the weight.</param>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is neither 0, 1 nor <see langword="null"/>.</exception>
    public static void SetWeight(ChatMessage message, int? weight)
    {
        Throw.IfNull(message);
        if (weight is null)
        {
            message.AdditionalProperties?.Remove(WeightProperty);
            return;
        }

        if (weight is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "A training weight is 0 (context only) or 1 (trained).");
        }

        (message.AdditionalProperties ??= [])[WeightProperty] = weight.Value;
    }

    /// <summary>Gets a value indicating whether the model learns from <paramref name="message"/>: an assistant message whose weight is not 0.</summary>
    /// <param name="message">The message.</param>
    /// <returns><see langword="true"/> for a trained assistant message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static bool IsTrained(ChatMessage message) => Throw.IfNull(message).Role == ChatRole.Assistant && GetWeight(message) != 0;
}
