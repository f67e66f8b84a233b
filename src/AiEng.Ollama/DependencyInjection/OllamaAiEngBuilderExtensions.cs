using AiEng.Ollama;
using AiEng.Shared;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>Ollama</c> provider with AiEng.</summary>
public static class OllamaAiEngBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="OllamaModelProvider"/>, so that models configured with <c>Provider</c> <c>Ollama</c> are served by an
    /// Ollama server's native API. Adding it twice has no further effect.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AiEngBuilder AddOllama(this AiEngBuilder builder)
    {
        Throw.IfNull(builder);
        return builder.AddProvider(new OllamaModelProvider());
    }
}
