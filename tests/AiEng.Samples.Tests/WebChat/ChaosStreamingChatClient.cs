using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Polly;

namespace AiEng.Samples.Tests.WebChat;

/// <summary>
/// A chat model behind chaos for streamed calls, as the web sample makes them: the chaos pipeline (faults, latency) runs
/// when the stream is opened, before the model is reached, so that a fault is a transient failure AiEng's resilience may retry.
/// </summary>
internal sealed class ChaosStreamingChatClient(IChatClient inner, ResiliencePipeline<bool> chaos) : DelegatingChatClient(inner)
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _ = await chaos.ExecuteAsync(static _ => ValueTask.FromResult(true), cancellationToken);
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }
}
