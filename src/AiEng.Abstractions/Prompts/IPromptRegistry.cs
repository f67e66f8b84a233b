namespace AiEng.Prompts;

/// <summary>A set of prompts addressed as <c>name</c> (the highest version) or <c>name@version</c>.</summary>
public interface IPromptRegistry
{
    /// <summary>Gets the identities of every prompt version in the registry, ordered by name, then version.</summary>
    IReadOnlyList<PromptId> Prompts { get; }

    /// <summary>Finds a prompt by reference.</summary>
    /// <param name="reference"><c>name</c> for the highest version, or <c>name@version</c> for one version.</param>
    /// <param name="template">The prompt, when found.</param>
    /// <returns><see langword="true"/> when the registry holds the prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reference"/> is <see langword="null"/>.</exception>
    bool TryGet(string reference, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPromptTemplate? template);
}
