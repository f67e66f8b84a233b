using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiEng.Testing;

/// <summary>
/// An <see cref="IChatClient"/> whose behaviour is set by callbacks, for unit tests of code that uses chat.
/// Calls without a callback throw <see cref="InvalidOperationException"/>, so a test never passes by accident.
/// </summary>
/// <remarks>
/// When only <see cref="GetResponseAsyncCallback"/> is set, streaming calls are served from it: the response is
/// converted into updates with <see cref="ChatResponse.ToChatResponseUpdates"/>.
/// </remarks>
public sealed class TestChatClient : IChatClient
{
    private int _callCount;

    /// <summary>Gets or sets the callback that answers <see cref="GetResponseAsync"/>.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? GetResponseAsyncCallback { get; set; }

    /// <summary>Gets or sets the callback that answers <see cref="GetStreamingResponseAsync"/>.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? GetStreamingResponseAsyncCallback { get; set; }

    /// <summary>Gets or sets the callback that answers <see cref="GetService"/>; by default the client returns itself for its own type.</summary>
    public Func<Type, object?, object?>? GetServiceCallback { get; set; }

    /// <summary>Gets or sets the metadata returned for <see cref="ChatClientMetadata"/>.</summary>
    public ChatClientMetadata Metadata { get; set; } = new("test", null, "test-model");

    /// <summary>Gets the number of calls made so far (streaming and non-streaming).</summary>
    public int CallCount => Volatile.Read(ref _callCount);

    /// <summary>Creates a client that answers every call with <paramref name="text"/>.</summary>
    /// <param name="text">The assistant's answer.</param>
    /// <param name="usage">The usage to report, if any.</param>
    /// <returns>The client.</returns>
    public static TestChatClient Replying(string text, UsageDetails? usage = null) => new()
    {
        GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = "test-model",
            Usage = usage,
        }),
    };

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _callCount);
        var callback = GetResponseAsyncCallback ?? throw new InvalidOperationException($"{nameof(TestChatClient)}.{nameof(GetResponseAsyncCallback)} is not set.");
        return callback(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (GetStreamingResponseAsyncCallback is { } streaming)
        {
            Interlocked.Increment(ref _callCount);
            return streaming(messages, options, cancellationToken);
        }

        if (GetResponseAsyncCallback is null)
        {
            throw new InvalidOperationException($"Neither {nameof(GetStreamingResponseAsyncCallback)} nor {nameof(GetResponseAsyncCallback)} of {nameof(TestChatClient)} is set.");
        }

        return StreamFromResponseAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
        => FakeServices.Resolve(this, Metadata, GetServiceCallback, serviceType, serviceKey);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamFromResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return update;
        }
    }
}
