namespace AiEng.Prompts;

/// <summary>Convenience methods for <see cref="IPromptRegistry"/>.</summary>
public static class PromptRegistryExtensions
{
    /// <summary>Gets a prompt by reference, or throws naming the prompts that exist.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="reference"><c>name</c> for the highest version, or <c>name@version</c>.</param>
    /// <returns>The prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="reference"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The registry holds no prompt for <paramref name="reference"/>.</exception>
    public static IPromptTemplate Get(this IPromptRegistry registry, string reference)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(reference);
        if (registry.TryGet(reference, out IPromptTemplate? template))
        {
            return template;
        }

        string known = registry.Prompts.Count == 0 ? "none" : string.Join(", ", registry.Prompts);
        throw new KeyNotFoundException($"No prompt '{reference}' in the registry. Known prompts: {known}.");
    }
}
