using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>Batch runs of the common model workloads: one chat call per prompt, one embedding per text.</summary>
public static class BatchRunnerExtensions
{
    /// <summary>Sends each prompt to <paramref name="client"/> as one user message and returns the answers' text in input order.</summary>
    /// <param name="runner">The runner.</param>
    /// <param name="client">The chat client; its rate limits, budget and resilience apply to every call.</param>
    /// <param name="prompts">The prompts, with ids unique in the batch.</param>
    /// <param name="options">The chat options of every call, if any.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>One answer per prompt, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runner"/>, <paramref name="client"/> or <paramref name="prompts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two prompts share an id.</exception>
    /// <remarks>
    /// An answer with no text (an empty reply, or one stopped by the provider's content filter) is not a result: its item
    /// fails with a <see cref="ModelRequestException"/> that gives the finish reason, so that it is not kept in the results
    /// file and a resumed run asks again. An answer with text is a result, even one the provider cut at the output-token
    /// limit (finish reason <c>length</c>): it is kept and not asked again. To keep the finish reason, usage or anything else
    /// of the response, call <see cref="BatchRunner.RunAsync{TInput, TResult}"/> with a delegate that returns them.
    /// </remarks>
    public static Task<BatchRunResult<string>> RunChatAsync(
        this BatchRunner runner, IChatClient client, IEnumerable<BatchItem<string>> prompts, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(runner);
        Throw.IfNull(client);
        Throw.IfNull(prompts);
        return runner.RunAsync(
            prompts,
            async (prompt, token) => AnswerText(await client.GetResponseAsync(prompt, options?.Clone(), token).ConfigureAwait(false)),
            cancellationToken);
    }

    /// <summary>Embeds each text with <paramref name="generator"/>, one text a call, and returns the vectors in input order.</summary>
    /// <param name="runner">The runner.</param>
    /// <param name="generator">The embedding generator; its request limits, rate limits, budget and resilience apply to every call.</param>
    /// <param name="texts">The texts, with ids unique in the batch.</param>
    /// <param name="options">The options of every call, if any.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>One vector per text, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runner"/>, <paramref name="generator"/> or <paramref name="texts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two texts share an id.</exception>
    /// <remarks>An empty vector, or one holding NaN or an infinity, is not a result: its item fails with a <see cref="ModelRequestException"/>, so that a resumed run embeds it again.</remarks>
    public static Task<BatchRunResult<float[]>> RunEmbeddingsAsync(
        this BatchRunner runner, IEmbeddingGenerator<string, Embedding<float>> generator, IEnumerable<BatchItem<string>> texts,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(runner);
        Throw.IfNull(generator);
        Throw.IfNull(texts);
        return runner.RunAsync(
            texts,
            async (text, token) => VectorOf(await generator.GenerateVectorAsync(text, options, token).ConfigureAwait(false)),
            cancellationToken);
    }

    /// <summary>The text of an answer, or a failure when it has none (a result of "" would be kept and never asked again).</summary>
    private static string AnswerText(ChatResponse response)
    {
        string text = response.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            string reason = response.FinishReason?.Value ?? "none given";
            throw new ModelRequestException(
                $"The model{(response.ModelId is { } model ? " '" + model + "'" : string.Empty)} returned an answer with no text (finish reason: {reason}). "
                + "The item is marked failed, not kept as an empty result, so that a resumed run asks again; if the content filter stopped it, change the prompt.")
            {
                ModelId = response.ModelId,
                IsTransient = response.FinishReason != ChatFinishReason.ContentFilter,
            };
        }

        return text;
    }

    /// <summary>The vector as an array, or a failure when it is empty or holds NaN or an infinity (it would be kept and never embedded again).</summary>
    private static float[] VectorOf(ReadOnlyMemory<float> vector)
    {
        if (vector.Length == 0)
        {
            throw new ModelRequestException("The embedding generator returned an empty vector. The item is marked failed, not kept as an empty result, so that a resumed run embeds it again.") { IsTransient = true };
        }

        if (FiniteVectors.DescribeNonFinite(vector.Span) is { } problem)
        {
            throw new ModelRequestException($"The embedding generator returned a vector {problem}. The item is marked failed, not kept, so that a resumed run embeds it again.") { IsTransient = true };
        }

        return vector.ToArray();
    }
}
