using System.ComponentModel.DataAnnotations;
using AiEng.Configuration;
using Microsoft.Extensions.Options;

namespace AiEng.Prompts;

/// <summary>Options of the <see cref="IPromptRegistry"/> that <c>AiEngBuilder.AddPrompts</c> registers (configuration section <c>AiEng:Prompts</c>).</summary>
public sealed class PromptRegistryOptions
{
    /// <summary>
    /// Gets or sets the directory whose <c>*.prompty</c> files (recursively) become the registry, with its <c>*.liquid</c> files
    /// as partials (<c>AiEng:Prompts:Directory</c>). Relative paths are resolved against the current directory. Required; no default.
    /// </summary>
    [Required(ErrorMessage = "{0} must be set to the directory of the *.prompty files (or call AddPrompts(directory))")]
    [ConfigurationExample("./prompts")]
    public string? Directory { get; set; }

    /// <summary>Gets the sandbox limits and extra partials every prompt is compiled with; defaults as in <see cref="PromptTemplateOptions"/>.</summary>
    [ValidateObjectMembers]
    public PromptTemplateOptions Template { get; } = new();
}
