using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Polly;

namespace AiEng.Samples.Tests.WebChat;

/// <summary>
/// A chat model behind chaos for streamed calls, as the web sample makes them: the chaos pipeline (faults, latency) runs
/// when the stream is opened, before the model is reached, so that a fault is a transient failure AiEng's resilience may
/// retry. When the pipeline's outcome strategy puts an answer in the model's place, that answer is streamed instead (its
/// text, finish reason and usage as the updates of one response), and the model is not called.
/// </summary>
internal sealed class ChaosStreamingChatClient(IChatClient inner, ResiliencePipeline<ChatResponse?> chaos) : DelegatingChatClient(inner)
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse? injected = await chaos.ExecuteAsync(static _ => ValueTask.FromResult<ChatResponse?>(null), cancellationToken);
        if (injected is not null)
        {
            foreach (ChatResponseUpdate update in injected.ToChatResponseUpdates())
            {
                yield return update;
            }

            yield break;
        }

        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }
}
