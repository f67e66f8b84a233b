using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Composition;

/// <summary>The state <c>AddAiEng</c> and <c>AiEngBuilder</c> share with the services that build clients (one per service collection).</summary>
internal sealed class AiEngRegistry
{
    /// <summary>Initializes a new instance of the <see cref="AiEngRegistry"/> class.</summary>
    /// <param name="configurationPath">The path of the configuration section AiEng's options come from, for example <c>AiEng</c>.</param>
    /// <param name="configuration">That section, or <see langword="null"/> when AiEng is configured in code.</param>
    public AiEngRegistry(string configurationPath, IConfiguration? configuration)
    {
        ConfigurationPath = configurationPath;
        Configuration = configuration;
    }

    /// <summary>Gets or sets AiEng's configuration section; <see langword="null"/> when AiEng is configured in code.</summary>
    public IConfiguration? Configuration { get; set; }

    /// <summary>Gets or sets the builder that every <c>AddAiEng</c> call on this service collection returns.</summary>
    public AiEngBuilder Builder { get; set; } = null!;

    /// <summary>Gets the path of AiEng's configuration section, used to name keys in messages (for example <c>AiEng</c>).</summary>
    public string ConfigurationPath { get; }

    /// <summary>Gets the chat registrations.</summary>
    public ModelRegistrations<IChatClient, ChatClientBuilder> Chat { get; } = new();

    /// <summary>Gets or sets a value indicating whether every chat pipeline gets the semantic cache (<c>AiEngBuilder.UseSemanticCache</c>).</summary>
    public bool SemanticCache { get; set; }

    /// <summary>Gets the embedding registrations.</summary>
    public ModelRegistrations<IEmbeddingGenerator<string, Embedding<float>>, EmbeddingGeneratorBuilder<string, Embedding<float>>> Embeddings { get; } = new();
}
