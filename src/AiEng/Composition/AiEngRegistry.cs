using Microsoft.Extensions.AI;

namespace AiEng.Composition;

/// <summary>The state <c>AddAiEng</c> and <c>AiEngBuilder</c> share with the services that build clients (one per service collection).</summary>
internal sealed class AiEngRegistry
{
    /// <summary>Initializes a new instance of the <see cref="AiEngRegistry"/> class.</summary>
    /// <param name="configurationPath">The path of the configuration section AiEng's options come from, for example <c>AiEng</c>.</param>
    public AiEngRegistry(string configurationPath)
    {
        ConfigurationPath = configurationPath;
    }

    /// <summary>Gets the path of AiEng's configuration section, used to name keys in messages (for example <c>AiEng</c>).</summary>
    public string ConfigurationPath { get; }

    /// <summary>Gets the chat registrations.</summary>
    public ModelRegistrations<IChatClient, ChatClientBuilder> Chat { get; } = new();

    /// <summary>Gets the embedding registrations.</summary>
    public ModelRegistrations<IEmbeddingGenerator<string, Embedding<float>>, EmbeddingGeneratorBuilder<string, Embedding<float>>> Embeddings { get; } = new();
}
