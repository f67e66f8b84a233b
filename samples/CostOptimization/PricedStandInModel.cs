using Microsoft.Extensions.AI;

namespace AiEng.Samples.CostOptimization;

/// <summary>
/// What the sample's stand-ins for paid chat models share, so that the sample runs offline: they count the requests that
/// reach them, answer the last user message with <see cref="Answer"/>, and report the usage a hosted model would bill under
/// their <see cref="ModelId"/>.
/// </summary>
/// <param name="modelId">The model id the answers and the usage are reported under.</param>
/// <param name="inputTokens">The input tokens each call reports.</param>
/// <param name="outputTokens">The output tokens each call reports.</param>
internal abstract class PricedStandInModel(string modelId, int inputTokens, int outputTokens) : IChatClient
{
    private int _calls;

    /// <summary>Gets the model id the answers and the usage are reported under.</summary>
    public string ModelId { get; } = modelId;

    /// <summary>Gets how many requests reached the model.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        string question = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer(question)))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("offline", null, ModelId)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>Answers a question.</summary>
    /// <param name="question">The last user message.</param>
    /// <returns>The answer.</returns>
    protected abstract string Answer(string question);
}
