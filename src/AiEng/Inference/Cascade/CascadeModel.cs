using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// A model a cascade escalates to: a chat model configured by name (served by the pipeline's services as a keyed
/// <see cref="IChatClient"/>, as AiEng serves <c>AiEng:ChatModels:&lt;name&gt;</c>), or a client instance.
/// </summary>
public sealed class CascadeModel
{
    /// <summary>Initializes a new instance of the <see cref="CascadeModel"/> class for a configured model.</summary>
    /// <param name="name">The model's name: the key of its keyed <see cref="IChatClient"/> (with AiEng, its <c>AiEng:ChatModels</c> section).</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace.</exception>
    public CascadeModel(string name) => Name = Throw.IfNullOrWhitespace(name);

    /// <summary>Initializes a new instance of the <see cref="CascadeModel"/> class for a client instance.</summary>
    /// <param name="client">The client. Give it usage tracking of its own (<c>UseUsageTracking</c>) for its calls to be recorded; the cascade does not dispose it.</param>
    /// <param name="name">The model's name in the cascade's responses and checks; <see langword="null"/> for the client's default model id (<see cref="ChatClientMetadata.DefaultModelId"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No <paramref name="name"/> is given and the client reports no default model id.</exception>
    public CascadeModel(IChatClient client, string? name = null)
    {
        Client = Throw.IfNull(client);
        Name = !string.IsNullOrWhiteSpace(name) ? name
            : client.GetService<ChatClientMetadata>()?.DefaultModelId is { Length: > 0 } modelId ? modelId
            : throw new ArgumentException("The client reports no default model id: give the cascade model a name, for example new CascadeModel(client, \"large\").", nameof(name));
    }

    /// <summary>Gets the model's name: the key it is resolved by, or the name given to a client.</summary>
    public string Name { get; }

    /// <summary>Gets the client, or <see langword="null"/> when the model is resolved by <see cref="Name"/> from the services.</summary>
    public IChatClient? Client { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
