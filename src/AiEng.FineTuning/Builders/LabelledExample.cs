using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>Inputs for a prompt and the answer the model should learn to give for them.</summary>
public sealed class LabelledExample
{
    /// <summary>Initializes a new instance of the <see cref="LabelledExample"/> class.</summary>
    /// <param name="inputs">The prompt's input values by name.</param>
    /// <param name="target">The answer to learn.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public LabelledExample(IReadOnlyDictionary<string, object?> inputs, string target)
    {
        Inputs = Throw.IfNull(inputs);
        Target = Throw.IfNull(target);
    }

    /// <summary>Gets the prompt's input values by name.</summary>
    public IReadOnlyDictionary<string, object?> Inputs { get; }

    /// <summary>Gets the answer to learn.</summary>
    public string Target { get; }

    /// <summary>Gets a label (for example the class) for stratified splits, or <see langword="null"/>.</summary>
    public string? Label { get; init; }
}
