using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// One route of routing by examples: passes requests to a model and marks its responses and updates with the model's name
/// (<see cref="RoutingProperties.Model"/>). It is the route's identity for MEAI's routing client; it does not own the model.
/// </summary>
internal sealed class RouteMarkingChatClient(IChatClient model, string name) : IChatClient
{
    public string Name { get; } = name;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatResponse response = await model.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        (response.AdditionalProperties ??= [])[RoutingProperties.Model] = Name;
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (ChatResponseUpdate update in model.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            (update.AdditionalProperties ??= [])[RoutingProperties.Model] = Name;
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => model.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // The model belongs to the services or to the caller.
    }
}
