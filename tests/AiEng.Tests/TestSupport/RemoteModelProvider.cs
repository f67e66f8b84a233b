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

    public override string Name => "Remote";

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
        generator.Metadata = new EmbeddingGeneratorMetadata("remote", null, options.Model);
        return generator;
    }
}
