namespace AiEng.Prompts;

/// <summary>A parsed, versioned prompt that renders inputs into chat messages and chat options.</summary>
/// <remarks>Implementations are immutable and thread-safe: one instance renders concurrently for many callers.</remarks>
public interface IPromptTemplate
{
    /// <summary>Gets the identity of the prompt: name, version and content hash.</summary>
    PromptId Id { get; }

    /// <summary>Renders the prompt with <paramref name="inputs"/>.</summary>
    /// <param name="inputs">The input values by name. Values are always data: they are never parsed as template code or role markers.</param>
    /// <param name="options">Render options (strictness, token budget); <see langword="null"/> for the defaults.</param>
    /// <returns>The messages, options and a report of tokens and budget cuts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is <see langword="null"/>.</exception>
    /// <exception cref="PromptException">An input is missing or has the wrong type, the template fails, or the budget cannot be met.</exception>
    PromptRenderResult Render(IReadOnlyDictionary<string, object?> inputs, PromptRenderOptions? options = null);
}
