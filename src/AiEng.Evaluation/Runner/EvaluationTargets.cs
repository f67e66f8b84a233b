using AiEng.Retrieval;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Evaluation;

/// <summary>Creates <see cref="EvaluationTarget"/>s for common systems.</summary>
public static class EvaluationTargets
{
    /// <summary>
    /// A target that sends the case input as one user message to <paramref name="client"/>. Compose the client with
    /// <c>UseResilience</c> and <c>UseDiskResponseCache</c> so that transient failures retry and re-runs make no model calls.
    /// </summary>
    /// <param name="client">The chat client.</param>
    /// <param name="options">Chat options for every call (not mutated; cloned per call).</param>
    /// <param name="systemPrompt">An optional system message sent before the input.</param>
    /// <returns>The target.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    public static EvaluationTarget FromChatClient(IChatClient client, ChatOptions? options = null, string? systemPrompt = null)
    {
        Throw.IfNull(client);
        return async (evaluationCase, cancellationToken) =>
        {
            List<ChatMessage> messages = systemPrompt is null ? [] : [new ChatMessage(ChatRole.System, systemPrompt)];
            messages.Add(new ChatMessage(ChatRole.User, evaluationCase.Input));
            var response = await client.GetResponseAsync(messages, options?.Clone(), cancellationToken).ConfigureAwait(false);
            return new EvaluationTargetOutput(response) { Contexts = evaluationCase.Contexts.Count > 0 ? evaluationCase.Contexts : null };
        };
    }

    /// <summary>
    /// A retrieval-only target: retrieves the top <paramref name="top"/> chunks for the case input; the retrieved document
    /// ids (first occurrence of each document, in rank order) feed the retrieval metrics and the chunk texts are the contexts.
    /// The response text is the concatenated chunk texts.
    /// </summary>
    /// <param name="retriever">The retriever.</param>
    /// <param name="top">How many chunks to retrieve; at least 1.</param>
    /// <returns>The target.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="retriever"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    public static EvaluationTarget FromRetriever(IRetriever retriever, int top = 10)
    {
        Throw.IfNull(retriever);
        Throw.IfLessThan(top, 1);
        return async (evaluationCase, cancellationToken) =>
        {
            var chunks = await retriever.RetrieveAsync(evaluationCase.Input, top, cancellationToken).ConfigureAwait(false);
            string[] texts = chunks.Select(static c => c.Chunk.Text).ToArray();
            return new EvaluationTargetOutput(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Join("\n\n", texts))))
            {
                Contexts = texts,
                RetrievedIds = chunks.Select(static c => c.Chunk.DocumentId).Distinct(StringComparer.Ordinal).ToArray(),
            };
        };
    }
}
