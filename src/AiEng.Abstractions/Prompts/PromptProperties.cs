using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>
/// The keys of the <see cref="ChatOptions.AdditionalProperties"/> entries that say which prompt a request was rendered from.
/// Prompt rendering sets them; usage tracking records them, so that cost can be traced to the exact prompt text.
/// </summary>
public static class PromptProperties
{
    /// <summary>The key of the entry that names the rendered prompt as <c>name@version</c> (<see cref="PromptId.ToString"/>).</summary>
    public const string Name = "aieng.prompt";

    /// <summary>The key of the entry that holds the content hash of the rendered prompt (<see cref="PromptId.ContentHash"/>, <c>sha256:...</c>).</summary>
    public const string ContentHash = "aieng.prompt_hash";
}
