using Fluid;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>One role section of a prompt body: its role, its own compiled template and where it starts in the file.</summary>
internal sealed class RoleSection(string kind, ChatRole role, string text, int line, string? examplesInput, int? priority = null)
{
    /// <summary>Gets the section kind: system, user, assistant or examples.</summary>
    public string Kind { get; } = kind;

    public ChatRole Role { get; } = role;

    /// <summary>Gets the raw template text of the section (the lines after its marker).</summary>
    public string Text { get; } = text;

    /// <summary>Gets the 1-based file line of the first line of <see cref="Text"/>.</summary>
    public int Line { get; } = line;

    /// <summary>Gets, for an examples section, the name of the input whose items become user/assistant pairs.</summary>
    public string? ExamplesInput { get; } = examplesInput;

    /// <summary>
    /// Gets the budget priority of the marker (<c>system (priority: 1):</c>), or <see langword="null"/> when a token budget
    /// must never drop the section.
    /// </summary>
    public int? Priority { get; } = priority;

    public IFluidTemplate? Template { get; set; }
}
