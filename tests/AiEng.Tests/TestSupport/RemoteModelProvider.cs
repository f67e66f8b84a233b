using AiEng.Providers;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.TestSupport;

/// <summary>
/// A provider named <c>Remote</c> that needs a model id and serves test fakes reporting that id, recording the options it was given.
/// </summary>
internal sealed class RemoteModelProvider : ModelProvider
{
    public List<ModelOptions> Created { get; } = [];

    /// <summary>Gets or sets a provider-specific check, run by <see cref="Validate"/>.</summary>
    public Action<ModelOptions, string, ICollection<string>>? Check { get; set; }

    /// <summary>Gets or sets the embedding request limits the provider publishes.</summary>
    public EmbeddingRequestLimits? Limits { get; set; }

    /// <summary>Gets the inputs of every embedding request the provider's generators received, in order.</summary>
    public List<string[]> EmbeddingRequests { get; } = [];

    public override string Name => "Remote";

    public override EmbeddingRequestLimits? GetEmbeddingRequestLimits(ModelOptions options) => Limits;

    public override bool Supports(ModelKind kind) => true;

    public override bool RequiresModel(ModelKind kind) => true;

    public override void Validate(ModelOptions options, ModelKind kind, string configurationPath, ICollection<string> errors) =>
        Check?.Invoke(options, configurationPath, errors);

    public override IChatClient CreateChatClient(ModelOptions options, IServiceProvider services)
    {
        Created.Add(options);
        var client = TestChatClient.Replying($"reply from {options.Model}");
        client.Metadata = new ChatClientMetadata("remote", null, options.Model);
        return client;
    }

    public override IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(ModelOptions options, IServiceProvider services)
    {
        Created.Add(options);
        var generator = TestEmbeddingGenerator.FromFunction(text => [text.Length]);
        var embed = generator.GenerateAsyncCallback!;
        generator.GenerateAsyncCallback = (values, generationOptions, cancellationToken) =>
        {
            string[] inputs = [.. values];
            lock (EmbeddingRequests)
            {
                EmbeddingRequests.Add(inputs);
            }

            return embed(inputs, generationOptions, cancellationToken);
        };
        generator.Metadata = new EmbeddingGeneratorMetadata("remote", null, options.Model);
        return generator;
    }
}
