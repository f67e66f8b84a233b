using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>One model's answer to a request in a cascade, as an <see cref="ICascadeAcceptanceCheck"/> sees it.</summary>
public sealed class CascadeAttempt
{
    /// <summary>Initializes a new instance of the <see cref="CascadeAttempt"/> class.</summary>
    /// <param name="messages">The request's messages.</param>
    /// <param name="options">The request's options, or <see langword="null"/>.</param>
    /// <param name="response">The model's answer (for a streamed request, its updates put together).</param>
    /// <param name="step">The model's position in the cascade: 0 for the first.</param>
    /// <param name="modelName">The model's name in the cascade.</param>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/>, <paramref name="response"/> or <paramref name="modelName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public CascadeAttempt(IReadOnlyList<ChatMessage> messages, ChatOptions? options, ChatResponse response, int step, string modelName)
    {
        Messages = Throw.IfNull(messages);
        Options = options;
        Response = Throw.IfNull(response);
        Step = Throw.IfLessThan(step, 0);
        ModelName = Throw.IfNull(modelName);
    }

    /// <summary>Gets the request's messages.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; }

    /// <summary>Gets the request's options, or <see langword="null"/>.</summary>
    public ChatOptions? Options { get; }

    /// <summary>Gets the model's answer.</summary>
    public ChatResponse Response { get; }

    /// <summary>Gets the model's position in the cascade: 0 for the first.</summary>
    public int Step { get; }

    /// <summary>Gets the model's name in the cascade (see <see cref="CascadeModel.Name"/>).</summary>
    public string ModelName { get; }
}
