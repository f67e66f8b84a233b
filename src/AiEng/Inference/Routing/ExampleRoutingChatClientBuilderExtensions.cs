using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.AI;

/// <summary>Adds routing by labelled examples to a chat pipeline.</summary>
public static class ExampleRoutingChatClientBuilderExtensions
{
    /// <summary>
    /// Routes each request to a model chosen from labelled examples: the last user message is embedded, the
    /// <see cref="ExampleRoutingOptions.Neighbors"/> nearest examples score their models (<see cref="ExampleRoutingOptions.Aggregation"/>),
    /// and the best model serves the request when its score reaches <see cref="ExampleRoutingOptions.Threshold"/>; otherwise,
    /// and for requests without user text, the model of this pipeline does. The selection is MEAI's <c>SemanticRoutingChatClient</c>.
    /// </summary>
    /// <param name="builder">The builder of the fallback model's pipeline.</param>
    /// <param name="configure">Adds the examples and sets the neighbours, threshold and fallback name.</param>
    /// <param name="embeddingGenerator">
    /// The model that embeds the examples (once, on the first request) and each request, or <see langword="null"/> to take the
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of the pipeline's services.
    /// </param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are invalid (the message names each problem).</exception>
    /// <exception cref="InvalidOperationException">When the pipeline is built: no <paramref name="embeddingGenerator"/> was given and the services have none.</exception>
    /// <remarks>
    /// <para>
    /// The response (and every streamed update) carries the routed model's name in <see cref="RoutingProperties.Model"/>.
    /// The models the examples name are taken from <see cref="ExampleRoutingOptions.Clients"/>, else resolved as keyed
    /// <see cref="IChatClient"/>s of the services (AiEng's named models), when the first request arrives; each is called
    /// through its own pipeline, so its usage is recorded there. Place the router outside usage tracking (with AiEng,
    /// <c>ConfigureChatPipeline("small", b =&gt; b.UseExampleRouting(...))</c>).
    /// </para>
    /// <para>Routing picks a model before any answer exists; to escalate on an unacceptable answer, use <c>UseCascade</c> (the two compose).</para>
    /// </remarks>
    public static ChatClientBuilder UseExampleRouting(
        this ChatClientBuilder builder,
        Action<ExampleRoutingOptions> configure,
        IEmbeddingGenerator<string, Embedding<float>>? embeddingGenerator = null)
    {
        Throw.IfNull(builder);
        Throw.IfNull(configure);
        var options = new ExampleRoutingOptions();
        configure(options);
        ExampleRoutingOptions settings = options.ValidateAndClone(nameof(configure));
        return builder.Use((inner, services) =>
        {
            IEmbeddingGenerator<string, Embedding<float>> generator = embeddingGenerator
                ?? services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()
                ?? throw new InvalidOperationException(
                    "UseExampleRouting needs an embedding model: pass one to UseExampleRouting(..., embeddingGenerator: ...), or register an "
                    + "IEmbeddingGenerator<string, Embedding<float>> in the services (for example AddAiEng with an embedding model, and AddOnnx() for the local one).");
            return new ExampleRoutingChatClient(inner, generator, settings, services);
        });
    }
}
