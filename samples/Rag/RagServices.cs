using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.Rag;

/// <summary>The sample's models, from configuration: the same wiring for the program and its tests.</summary>
internal static class RagServices
{
    /// <summary>
    /// Adds AiEng's chat and embedding models from the <c>AiEng</c> section (offline responder and local MiniLM when
    /// nothing is configured; OpenAI-compatible endpoints or Ollama when configured), with embeddings cached on disk
    /// under <see cref="RagPaths.EmbeddingCacheDirectory"/>.
    /// </summary>
    public static IServiceCollection AddRagSample(this IServiceCollection services, IConfiguration configuration, RagPaths paths)
    {
        services.AddAiEng(configuration)
            .AddOnnx()
            .AddOpenAI()
            .AddOllama()
            .UseEmbeddingDiskCache(paths.EmbeddingCacheDirectory);
        return services;
    }
}
