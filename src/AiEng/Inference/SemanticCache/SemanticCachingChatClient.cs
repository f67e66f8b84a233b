using System.Runtime.CompilerServices;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Chat middleware that answers a request from a stored response when an earlier request of the same scope asked a similar
/// enough question (see <see cref="SemanticCache"/>). Added with <c>ChatClientBuilder.UseSemanticCache</c>.
/// </summary>
/// <remarks>
/// A hit is returned (or streamed) with <see cref="ResponseCacheProperties.Hit"/> set and no usage, without calling the
/// inner client. A miss goes to the inner client; its response is stored when it is cacheable, and a stream only when it
/// was read to its end. Errors and cancellations of the inner client pass through and store nothing.
/// </remarks>
internal sealed class SemanticCachingChatClient(IChatClient innerClient, SemanticCache cache) : DelegatingChatClient(innerClient)
{
    public SemanticCache Cache { get; } = cache;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> list = SemanticCache.AsList(Throw.IfNull(messages));
        if (!Cache.TryGetRequest(list, options, out string question, out string scope))
        {
            return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        }

        (ChatResponse? hit, ReadOnlyMemory<float> vector) = await Cache.LookupAsync(scope, question, options, cancellationToken).ConfigureAwait(false);
        if (hit is not null)
        {
            return hit;
        }

        ChatResponse response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        await Cache.StoreAsync(scope, question, vector, response, cancellationToken).ConfigureAwait(false);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> list = SemanticCache.AsList(Throw.IfNull(messages));
        if (!Cache.TryGetRequest(list, options, out string question, out string scope))
        {
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        (ChatResponse? hit, ReadOnlyMemory<float> vector) = await Cache.LookupAsync(scope, question, options, cancellationToken).ConfigureAwait(false);
        if (hit is not null)
        {
            foreach (ChatResponseUpdate update in SemanticCache.ToHitUpdates(hit))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return update;
            }

            yield break;
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return update;
        }

        // Only reached when the stream completed normally: a failed or abandoned stream stores nothing.
        await Cache.StoreAsync(scope, question, vector, updates.ToChatResponse(), cancellationToken).ConfigureAwait(false);
    }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        Throw.IfNull(serviceType);
        return serviceKey is null && serviceType == typeof(SemanticCache) ? Cache : base.GetService(serviceType, serviceKey);
    }
}
