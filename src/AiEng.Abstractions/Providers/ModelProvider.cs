using Microsoft.Extensions.AI;

namespace AiEng.Providers;

/// <summary>
/// Creates chat clients and embedding generators of one provider (OpenAI, Ollama, ONNX, your own) from
/// <see cref="ModelOptions"/>. Register an instance with <c>AiEngBuilder.AddProvider</c>; AiEng then serves every
/// configured model whose <see cref="ModelOptions.Provider"/> matches <see cref="Name"/>, with AiEng's middleware around it.
/// </summary>
/// <remarks>An abstract class rather than an interface so that members can be added without breaking providers.</remarks>
public abstract class ModelProvider
{
    /// <summary>Gets the provider name matched case-insensitively against <see cref="ModelOptions.Provider"/>.</summary>
    public abstract string Name { get; }

    /// <summary>Gets a value indicating whether this provider serves models of <paramref name="kind"/>.</summary>
    /// <param name="kind">The kind of model.</param>
    /// <returns><see langword="true"/> when <see cref="CreateChatClient"/> or <see cref="CreateEmbeddingGenerator"/> can be called for it.</returns>
    public abstract bool Supports(ModelKind kind);

    /// <summary>
    /// Gets a value indicating whether models of <paramref name="kind"/> need <see cref="ModelOptions.Model"/>. When
    /// <see langword="true"/> and the model id is missing, AiEng's start-up validation reports the missing key (for example
    /// <c>AiEng:Chat:Model</c>) with an example value. The default is <see langword="false"/>: the provider has a default model
    /// or checks the model id itself in <see cref="Validate"/>.
    /// </summary>
    /// <param name="kind">The kind of model.</param>
    /// <returns><see langword="true"/> when a model id must be configured.</returns>
    public virtual bool RequiresModel(ModelKind kind) => false;

    /// <summary>
    /// Checks <paramref name="options"/> and adds a message for each problem to <paramref name="errors"/>. A message names the
    /// configuration key (<paramref name="configurationPath"/> plus the property, for example <c>AiEng:Chat:Endpoint</c>),
    /// says what is wrong and gives an example of a valid value. It never contains the API key.
    /// </summary>
    /// <param name="options">The options to check.</param>
    /// <param name="kind">The kind of model the options describe.</param>
    /// <param name="configurationPath">The configuration section the options came from, for example <c>AiEng:Chat</c>.</param>
    /// <param name="errors">Receives one message per problem.</param>
    public virtual void Validate(ModelOptions options, ModelKind kind, string configurationPath, ICollection<string> errors)
    {
    }

    /// <summary>
    /// Gets the provider's published limits on embedding requests for a configured model: inputs and tokens per request,
    /// tokens per input, and how many requests to have in flight at once. AiEng applies them around the generator, each one
    /// overridden by the model's setting of the same name (for example <c>AiEng:Embeddings:Settings:MaxInputsPerRequest</c>).
    /// The default is <see langword="null"/>: no limits, one request at a time.
    /// </summary>
    /// <param name="options">Validated options of the model.</param>
    /// <returns>The limits, or <see langword="null"/> when the provider publishes none.</returns>
    public virtual EmbeddingRequestLimits? GetEmbeddingRequestLimits(ModelOptions options) => null;

    /// <summary>Creates the chat client for a configured model.</summary>
    /// <param name="options">Validated options (a copy the provider may keep).</param>
    /// <param name="services">The application's services.</param>
    /// <returns>The client; AiEng adds its middleware around it.</returns>
    /// <exception cref="NotSupportedException">The provider has no chat models.</exception>
    public virtual IChatClient CreateChatClient(ModelOptions options, IServiceProvider services) =>
        throw new NotSupportedException($"Provider '{Name}' does not serve chat models.");

    /// <summary>Creates the embedding generator for a configured model.</summary>
    /// <param name="options">Validated options (a copy the provider may keep).</param>
    /// <param name="services">The application's services.</param>
    /// <returns>The generator; AiEng adds its middleware around it.</returns>
    /// <exception cref="NotSupportedException">The provider has no embedding models.</exception>
    public virtual IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(ModelOptions options, IServiceProvider services) =>
        throw new NotSupportedException($"Provider '{Name}' does not serve embedding models.");
}
