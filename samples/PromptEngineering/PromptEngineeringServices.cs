using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.PromptEngineering;

/// <summary>The sample's models, from configuration: the same wiring for the program and its tests.</summary>
internal static class PromptEngineeringServices
{
    /// <summary>
    /// Adds AiEng's chat and embedding models from the <c>AiEng</c> section: the offline responder and local MiniLM when
    /// nothing is configured; an OpenAI-compatible endpoint or Ollama when <c>AiEng:Chat</c> is configured. Adds the prompt
    /// registry of the <c>prompts/</c> folder under <paramref name="root"/>.
    /// </summary>
    public static IServiceCollection AddPromptEngineeringSample(this IServiceCollection services, IConfiguration configuration, string root)
    {
        services.AddAiEng(configuration).AddOnnx().AddOpenAI().AddOllama().AddPrompts(Path.Combine(root, "prompts"));
        return services;
    }
}
