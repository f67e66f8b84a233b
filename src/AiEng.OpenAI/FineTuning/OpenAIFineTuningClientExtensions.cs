using AiEng.FineTuning;
using AiEng.Shared;

namespace OpenAI;

/// <summary>Adapts the official OpenAI client to AiEng's <see cref="IFineTuningClient"/>, as <c>AsIChatClient()</c> does for chat.</summary>
public static class OpenAIFineTuningClientExtensions
{
    /// <summary>
    /// Gets an <see cref="IFineTuningClient"/> on <paramref name="client"/>'s files and fine-tuning clients. Mind the
    /// client's own retry policy: AiEng's <c>FineTuningJobRunner</c> retries the idempotent calls itself, so a client
    /// created with <c>RetryPolicy = new ClientRetryPolicy(maxRetries: 0)</c> avoids two retry layers.
    /// </summary>
    /// <param name="client">The OpenAI client.</param>
    /// <returns>The fine-tuning client.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    public static IFineTuningClient AsIFineTuningClient(this OpenAIClient client) => new AiEng.OpenAI.OpenAIFineTuningClient(Throw.IfNull(client));
}
