namespace AiEng.Prompts;

/// <summary>An input a prompt file declares under <c>inputs:</c>.</summary>
public sealed class PromptInput
{
    internal PromptInput(string name, PromptInputType type, bool required, object? defaultValue, bool hasDefault, string? description, int? priority, int line)
    {
        Name = name;
        Type = type;
        Required = required;
        Default = defaultValue;
        HasDefault = hasDefault;
        Description = description;
        Priority = priority;
        Line = line;
    }

    /// <summary>Gets the input name, as templates read it.</summary>
    public string Name { get; }

    /// <summary>Gets the declared type; <see cref="PromptInputType.Any"/> when none is declared.</summary>
    public PromptInputType Type { get; }

    /// <summary>Gets a value indicating whether a render must supply the input (<c>required: true</c>).</summary>
    public bool Required { get; }

    /// <summary>Gets the default value (plain data: string, number, bool, list or dictionary), used when a render does not supply the input.</summary>
    public object? Default { get; }

    /// <summary>Gets a value indicating whether the input declares a default.</summary>
    public bool HasDefault { get; }

    /// <summary>Gets the description, if any.</summary>
    public string? Description { get; }

    /// <summary>
    /// Gets the budget priority (<c>priority:</c>), or <see langword="null"/> when a token budget must never cut the input.
    /// Under a budget, inputs with a priority are cut lowest priority first: lists lose items from their end, text is trimmed.
    /// </summary>
    public int? Priority { get; }

    /// <summary>Gets the 1-based line of the declaration in the prompt file.</summary>
    public int Line { get; }
}
