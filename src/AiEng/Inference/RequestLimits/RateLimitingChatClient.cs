using System.Runtime.CompilerServices;
using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Sends each chat request only when the model's <see cref="ModelRateLimiter"/> admits it (queueing it otherwise), with the
/// prompt's estimated tokens plus <see cref="ChatOptions.MaxOutputTokens"/>, and corrects the estimate with the reported usage.
/// </summary>
/// <remarks>
/// Within AiEng's pipeline this sits inside resilience, next to the provider's client: every attempt, retries included,
/// passes the limiter, and a 429 pauses every caller of the model before the retry is queued.
/// </remarks>
internal sealed class RateLimitingChatClient : DelegatingChatClient
{
    private readonly ModelRateLimiter _limiter;
    private readonly ITokenCounter _tokenCounter;

    /// <summary>Initializes a new instance of the <see cref="RateLimitingChatClient"/> class.</summary>
    /// <param name="innerClient">The client the requests go to.</param>
    /// <param name="limiter">The model's limiter, shared with its other clients.</param>
    /// <param name="tokenCounter">Estimates a request's tokens when a token limit is set.</param>
    public RateLimitingChatClient(IChatClient innerClient, ModelRateLimiter limiter, ITokenCounter tokenCounter)
        : base(innerClient)
    {
        _limiter = limiter;
        _tokenCounter = tokenCounter;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        int estimate = Estimate(list, options);
        var response = await _limiter.ExecuteAsync(
            estimate,
            static async (state, token) => await state.Client.InnerClient.GetResponseAsync(state.Messages, state.Options, token).ConfigureAwait(false),
            (Client: this, Messages: list, Options: options),
            cancellationToken).ConfigureAwait(false);
        _limiter.ReportUsage(estimate, response.Usage?.TotalTokenCount);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        int estimate = Estimate(list, options);

        // The stream is admitted once, when it is opened; the tokens it reports correct the allowance when it ends.
        await _limiter.ExecuteAsync(estimate, static (_, _) => ValueTask.FromResult(true), 0, cancellationToken).ConfigureAwait(false);
        long? used = null;
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = base.GetStreamingResponseAsync(list, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _limiter.ObserveFailure(exception);
            throw;
        }

        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = updates.Current;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    _limiter.ObserveFailure(exception);
                    throw;
                }

                foreach (var content in update.Contents)
                {
                    if (content is UsageContent usage && usage.Details.TotalTokenCount is long total)
                    {
                        used = (used ?? 0) + total;
                    }
                }

                yield return update;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }

        _limiter.ReportUsage(estimate, used);
    }

    private int Estimate(IReadOnlyCollection<ChatMessage> messages, ChatOptions? options) =>
        _limiter.CountsTokens ? ChatTokenEstimator.CountTokens(_tokenCounter, messages, options) + Math.Max(0, options?.MaxOutputTokens ?? 0) : 0;
}
