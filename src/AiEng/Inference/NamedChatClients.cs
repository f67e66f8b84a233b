using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Inference;

/// <summary>Resolves the chat models that the cascade and the example router refer to by name, as AiEng serves them: keyed <see cref="IChatClient"/>s.</summary>
internal static class NamedChatClients
{
    /// <summary>Gets the chat client named <paramref name="name"/> from the services, or throws how to provide it.</summary>
    /// <param name="services">The pipeline's services, if any.</param>
    /// <param name="name">The model's name.</param>
    /// <param name="feature">What refers to it, for the message (for example <c>The cascade escalates to</c>).</param>
    /// <param name="alternative">How to pass the client itself instead, for the message.</param>
    public static IChatClient Resolve(IServiceProvider? services, string name, string feature, string alternative) =>
        (services as IKeyedServiceProvider)?.GetKeyedService(typeof(IChatClient), name) as IChatClient
        ?? throw new InvalidOperationException(
            $"{feature} the chat model '{name}', but the services have no chat client of that name: configure the model "
            + $"(AiEng:ChatModels:{name}, or AiEngBuilder.UseChatClient(..., name: \"{name}\")), register a keyed IChatClient \"{name}\", "
            + $"or pass the client itself to {alternative}.");
}
