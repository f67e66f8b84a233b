using AiEng.Shared;

namespace AiEng.Prompts;

/// <summary>One few-shot example: an input and the output the model should give for it.</summary>
public sealed class PromptExample
{
    /// <summary>Initializes a new instance of the <see cref="PromptExample"/> class.</summary>
    /// <param name="input">The example input (rendered as a user message or inline).</param>
    /// <param name="output">The expected output (rendered as an assistant message or inline).</param>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> or <paramref name="output"/> is <see langword="null"/>.</exception>
    public PromptExample(string input, string output)
    {
        Input = Throw.IfNull(input);
        Output = Throw.IfNull(output);
    }

    /// <summary>Gets the example input (rendered as a user message or inline).</summary>
    public string Input { get; }

    /// <summary>Gets the expected output (rendered as an assistant message or inline).</summary>
    public string Output { get; }

    /// <summary>Gets an optional id (for reports; JSONL sets it to the line number when the record has none).</summary>
    public string? Id { get; init; }

    /// <summary>Gets optional extra fields, readable in templates as <c>example.metadata.name</c>.</summary>
    public IReadOnlyDictionary<string, object?>? Metadata { get; init; }
}
