using AiEng.OpenAI;
using AiEng.Shared;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>OpenAI</c> provider with AiEng.</summary>
public static class OpenAIAiEngBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="OpenAIModelProvider"/>, so that models configured with <c>Provider</c> <c>OpenAI</c> are served by any
    /// OpenAI-compatible endpoint (OpenAI, Azure OpenAI v1, Ollama's <c>/v1</c>, vLLM, llama.cpp server, LM Studio).
    /// Adding it twice has no further effect.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AiEngBuilder AddOpenAI(this AiEngBuilder builder)
    {
        Throw.IfNull(builder);
        return builder.AddProvider(new OpenAIModelProvider());
    }
}
