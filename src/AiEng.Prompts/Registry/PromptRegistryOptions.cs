namespace AiEng.Prompts;

/// <summary>Options of the <see cref="IPromptRegistry"/> that <c>AiEngBuilder.AddPrompts</c> registers (configuration section <c>AiEng:Prompts</c>).</summary>
public sealed class PromptRegistryOptions
{
    /// <summary>
    /// Gets or sets the directory whose <c>*.prompty</c> files (recursively) become the registry, with its <c>*.liquid</c> files
    /// as partials (<c>AiEng:Prompts:Directory</c>). Relative paths are resolved against the current directory. Required; no default.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>Gets the sandbox limits and extra partials every prompt is compiled with; defaults as in <see cref="PromptTemplateOptions"/>.</summary>
    public PromptTemplateOptions Template { get; } = new();
}
