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
    public static Task<BatchRunResult<string>> RunChatAsync(
        this BatchRunner runner, IChatClient client, IEnumerable<BatchItem<string>> prompts, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(runner);
        Throw.IfNull(client);
        Throw.IfNull(prompts);
        return runner.RunAsync(
            prompts,
            async (prompt, token) => (await client.GetResponseAsync(prompt, options?.Clone(), token).ConfigureAwait(false)).Text,
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
    public static Task<BatchRunResult<float[]>> RunEmbeddingsAsync(
        this BatchRunner runner, IEmbeddingGenerator<string, Embedding<float>> generator, IEnumerable<BatchItem<string>> texts,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(runner);
        Throw.IfNull(generator);
        Throw.IfNull(texts);
        return runner.RunAsync(
            texts,
            async (text, token) => (await generator.GenerateVectorAsync(text, options, token).ConfigureAwait(false)).ToArray(),
            cancellationToken);
    }
}
