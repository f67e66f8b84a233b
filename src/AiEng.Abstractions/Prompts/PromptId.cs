namespace AiEng.Prompts;

/// <summary>Identifies one version of a prompt: its name, its version and the hash of its content.</summary>
/// <param name="Name">The prompt name, for example <c>classify-ticket</c>.</param>
/// <param name="Version">The version declared by the prompt, for example <c>1.2.0</c>; <c>0</c> when the prompt declares none.</param>
/// <param name="ContentHash">
/// The SHA-256 of the prompt file text (line endings normalised to <c>\n</c>), as <c>sha256:</c> followed by 64 lowercase
/// hex digits. Evaluation reports and usage records cite it so that a result can be traced to the exact prompt text.
/// </param>
public sealed record PromptId(string Name, string Version, string ContentHash)
{
    /// <summary>Returns <c>name@version</c>.</summary>
    /// <returns>The reference of this prompt version.</returns>
    public override string ToString() => $"{Name}@{Version}";
}
