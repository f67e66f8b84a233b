using System.Text.Json;
using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>An event of a fine-tuning job: a status change, a message, or training metrics of a step.</summary>
public sealed class FineTuningJobEvent
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningJobEvent"/> class.</summary>
    /// <param name="id">The provider's event id.</param>
    /// <param name="createdAt">When it happened.</param>
    /// <param name="message">The message, for example <c>Step 10/100: training loss=0.42</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is <see langword="null"/>, empty or whitespace.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public FineTuningJobEvent(string id, DateTimeOffset createdAt, string message)
    {
        Id = Throw.IfNullOrWhitespace(id);
        CreatedAt = createdAt;
        Message = Throw.IfNull(message);
    }

    /// <summary>Gets the provider's event id.</summary>
    public string Id { get; }

    /// <summary>Gets when it happened.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets the message.</summary>
    public string Message { get; }

    /// <summary>Gets the level: <c>info</c>, <c>warn</c> or <c>error</c>. The default is <c>info</c>.</summary>
    public string Level { get; init; } = "info";

    /// <summary>Gets the kind: <c>message</c> or <c>metrics</c>, if the provider said.</summary>
    public string? Kind { get; init; }

    /// <summary>Gets the event's data (for metrics: <c>step</c>, <c>train_loss</c>...), if any.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>Returns the time, level and message.</summary>
    /// <returns>For example <c>2025-01-01T10:00:00Z info Fine-tuning job started</c>.</returns>
    public override string ToString() => FormattableString.Invariant($"{CreatedAt:u} {Level} {Message}");
}
