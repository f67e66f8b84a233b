namespace AiEng.Prompts;

/// <summary>One few-shot example: an input and the output the model should give for it.</summary>
/// <param name="Input">The example input (rendered as a user message or inline).</param>
/// <param name="Output">The expected output (rendered as an assistant message or inline).</param>
public sealed record PromptExample(string Input, string Output)
{
    /// <summary>Gets an optional id (for reports; JSONL sets it to the line number when the record has none).</summary>
    public string? Id { get; init; }

    /// <summary>Gets optional extra fields, readable in templates as <c>example.metadata.name</c>.</summary>
    public IReadOnlyDictionary<string, object?>? Metadata { get; init; }
}
