using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>A labelled example for routing by examples: a request text and the name of the model that should serve requests like it.</summary>
public sealed class RoutingExample
{
    /// <summary>Initializes a new instance of the <see cref="RoutingExample"/> class.</summary>
    /// <param name="text">A request, as a user would write it, for example <c>What is 17 times 23?</c>.</param>
    /// <param name="model">The name of the model for requests like it, for example <c>large</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> or <paramref name="model"/> is empty or whitespace.</exception>
    public RoutingExample(string text, string model)
    {
        Text = Throw.IfNullOrWhitespace(text);
        Model = Throw.IfNullOrWhitespace(model);
    }

    /// <summary>Gets the example request.</summary>
    public string Text { get; }

    /// <summary>Gets the name of the model for requests like it.</summary>
    public string Model { get; }
}
