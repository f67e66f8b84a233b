using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Chat middleware that records the usage of every call in an <see cref="IUsageLedger"/> (tokens, latency, cost from a
/// price table, caller tag), enforces budgets before calls are sent, and optionally emits AiEng's cost and budget metrics
/// (token and duration metrics come from <c>UseOpenTelemetry</c>: see docs/observability.md).
/// Add it with <c>ChatClientBuilder.UseUsageTracking</c>.
/// </summary>
/// <remarks>
/// <para>
/// The model recorded is the response's <see cref="ChatResponse.ModelId"/>, else <see cref="ChatOptions.ModelId"/>, else
/// the inner client's <see cref="ChatClientMetadata.DefaultModelId"/>, else <c>unknown</c>; the provider is
/// <see cref="ChatClientMetadata.ProviderName"/>. When the provider reports no token counts (for example a stream without
/// usage, or the offline responder) they are estimated with <see cref="TiktokenTokenCounter.ForModel"/> and
/// <see cref="ChatTokenEstimator"/>, and the record is marked <see cref="UsageRecord.IsEstimated"/>.
/// </para>
/// <para>
/// A streamed call is recorded once, when the stream completes, fails or is disposed early, from the
/// <see cref="UsageContent"/> in its updates if any (else estimated from the updates received).
/// </para>
/// <para>
/// A response (or stream) that a cache marked with <see cref="ResponseCacheProperties.Hit"/>, as the semantic cache does,
/// is recorded as a cache hit (<see cref="UsageRecord.IsCacheHit"/>): no tokens and a cost of zero.
/// </para>
/// <para>
/// Over budget: a call the budgets refuse is answered from the <see cref="SemanticCache"/> inside this client (found with
/// <see cref="IChatClient.GetService"/>) when the cache holds an answer for it, since a hit costs nothing; it is recorded
/// as a cache hit. Otherwise the <see cref="BudgetExceededException"/> stands. With metrics on, the refusal still counts in
/// <c>aieng.usage.budget.exceeded</c>.
/// </para>
/// <para>
/// Failed calls: a call is recorded when the provider produced something (a response, or at least one streamed update).
/// A call that throws before that (including cancellation and <see cref="BudgetExceededException"/>) is not recorded,
/// as providers do not bill rejected requests; with metrics on, a budget refusal counts in <c>aieng.usage.budget.exceeded</c>.
/// A stream that fails or is abandoned after its first update is recorded with the usage seen so far.
/// </para>
/// </remarks>
public sealed class UsageTrackingChatClient : DelegatingChatClient
{
    private readonly UsageTracker _tracker;

    /// <summary>Initializes a new instance of the <see cref="UsageTrackingChatClient"/> class.</summary>
    /// <param name="innerClient">The client to track.</param>
    /// <param name="ledger">The ledger that receives the records.</param>
    /// <param name="options">The options (copied; the caller's instance is never changed), or <see langword="null"/> for defaults.</param>
    /// <param name="timeProvider">The clock for timestamps, latency and budget windows; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>AiEng</c> meter when <see cref="UsageTrackingOptions.EnableMetrics"/> is set; a shared meter is used when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="ledger"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (the message names each offending key).</exception>
    public UsageTrackingChatClient(
        IChatClient innerClient,
        IUsageLedger ledger,
        UsageTrackingOptions? options = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null)
        : base(innerClient)
    {
        Throw.IfNull(ledger);
        var metadata = innerClient.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        _tracker = new UsageTracker(UsageOperations.Chat, ledger, options, timeProvider, meterFactory, metadata?.ProviderName, metadata?.DefaultModelId);
    }

    /// <summary>Gets the ledger that receives the records.</summary>
    public IUsageLedger Ledger => _tracker.Ledger;

    /// <inheritdoc />
    /// <exception cref="BudgetExceededException">The call would exceed a configured budget; it was not sent.</exception>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (_tracker.IsShared)
        {
            return GetSharedResponseAsync(messages, options, cancellationToken);
        }

        // A call whose inner task has already completed is recorded here and its task returned as it is: no async state
        // machine and no second task. Every failure surfaces through the returned task, as from an async method.
        UsageCall call;
        try
        {
            call = Start(messages, options);
        }
        catch (BudgetExceededException refused) when (CacheInside() is { } cache)
        {
            return AnswerRefusedAsync(refused, cache, messages, options, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<ChatResponse>(ex);
        }

        Task<ChatResponse> response;
        try
        {
            response = base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception ex)
        {
            response = Task.FromException<ChatResponse>(ex);
        }

        if (!response.IsCompletedSuccessfully)
        {
            return CompleteAsync(call, response, messages, options);
        }

        try
        {
            // Completed at once: only a shared ledger records asynchronously, and it took the path above.
            Record(call, response.Result, messages, options).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            return Task.FromException<ChatResponse>(ex);
        }

        return response;
    }

    /// <inheritdoc />
    /// <exception cref="BudgetExceededException">The call would exceed a configured budget; it was not sent (thrown on the first move of the enumerator).</exception>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        UsageCall call;
        ChatResponse? servedOverBudget = null;
        try
        {
            call = _tracker.IsShared ? await StartSharedAsync(messages, options, cancellationToken).ConfigureAwait(false) : Start(messages, options);
        }
        catch (BudgetExceededException) when (CacheInside() is { } cache)
        {
            servedOverBudget = await cache.TryAnswerAsync(messages, options, cancellationToken).ConfigureAwait(false);
            if (servedOverBudget is null)
            {
                throw;
            }

            call = StartOverBudget(options);
        }

        if (servedOverBudget is not null)
        {
            foreach (ChatResponseUpdate update in SemanticCache.ToHitUpdates(servedOverBudget))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return update;
            }

            await _tracker.Record(call, _tracker.GetElapsed(call), servedOverBudget.ModelId, 0, 0, 0, isEstimated: false, isStreaming: true, isCacheHit: true).ConfigureAwait(false);
            yield break;
        }

        var observed = new StreamObservation();
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        try
        {
            while (true)
            {
                updates ??= base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
                if (!await updates.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }

                ChatResponseUpdate update = updates.Current;
                observed.Observe(update);
                yield return update;
            }
        }
        finally
        {
            if (updates is not null)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            if (observed.Updates > 0)
            {
                await Record(call, _tracker.GetElapsed(call), messages, options, observed.ModelId, observed.Usage, responseMessages: null, observed).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Also returns the <see cref="Ledger"/> when asked for <see cref="IUsageLedger"/> (or its concrete type) without a key.</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        Throw.IfNull(serviceType);
        return base.GetService(serviceType, serviceKey) ?? _tracker.GetLedgerService(serviceType, serviceKey);
    }

    private async Task<ChatResponse> CompleteAsync(UsageCall call, Task<ChatResponse> pending, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ChatResponse response = await pending.ConfigureAwait(false);

        await Record(call, response, messages, options).ConfigureAwait(false);
        return response;
    }

    /// <summary>A call through a shared ledger: budgets are checked against, and the call recorded in, the ledger every instance uses.</summary>
    private async Task<ChatResponse> GetSharedResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        UsageCall call;
        try
        {
            call = await StartSharedAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (BudgetExceededException refused) when (CacheInside() is { } cache)
        {
            return await AnswerRefusedAsync(refused, cache, messages, options, cancellationToken).ConfigureAwait(false);
        }

        ChatResponse response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        await Record(call, response, messages, options).ConfigureAwait(false);
        return response;
    }

    /// <summary>Gets the semantic cache inside this client, if the pipeline has one.</summary>
    private SemanticCache? CacheInside() => base.GetService(typeof(SemanticCache)) as SemanticCache;

    /// <summary>Answers a call the budgets refused from the semantic cache (recorded as a cache hit), or throws the refusal.</summary>
    private async Task<ChatResponse> AnswerRefusedAsync(BudgetExceededException refused, SemanticCache cache, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        ChatResponse? hit = await cache.TryAnswerAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (hit is null)
        {
            ExceptionDispatchInfo.Throw(refused);
        }

        await Record(StartOverBudget(options), hit, messages, options).ConfigureAwait(false);
        return hit;
    }

    /// <summary>Starts timing a call served without reaching the model, after the budgets refused it.</summary>
    private UsageCall StartOverBudget(ChatOptions? options)
    {
        (string requestModel, string? callerTag) = _tracker.Resolve(options?.AdditionalProperties, options?.ModelId);
        return _tracker.Start(requestModel, callerTag, options?.AdditionalProperties);
    }

    private ValueTask Record(UsageCall call, ChatResponse response, IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        ResponseCacheProperties.GetHit(response.AdditionalProperties) is not null
            ? _tracker.Record(call, _tracker.GetElapsed(call), response.ModelId, 0, 0, 0, isEstimated: false, isStreaming: false, isCacheHit: true)
            : Record(call, _tracker.GetElapsed(call), messages, options, response.ModelId, response.Usage, response.Messages, stream: null);

    private static long CountOutputTokens(ITokenCounter counter, IList<ChatMessage> messages)
    {
        long total = 0;
        for (int i = 0; i < messages.Count; i++)
        {
            total += ChatTokenEstimator.CountContentTokens(counter, messages[i].Contents);
        }

        return total;
    }

    /// <summary>Resolves the call's model and caller tag, enforces budgets, and starts timing.</summary>
    private UsageCall Start(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        Throw.IfNull(messages);
        (string requestModel, string? callerTag) = _tracker.Resolve(options?.AdditionalProperties, options?.ModelId);
        if (_tracker.AnyBudgetApplies(requestModel, callerTag))
        {
            (int input, int output) = EstimateTokens(requestModel, messages, options);
            _tracker.EnforceBudgets(requestModel, callerTag, input, output);
        }

        return _tracker.Start(requestModel, callerTag, options?.AdditionalProperties);
    }

    /// <summary>As <see cref="Start"/>, with the budgets checked against the spending of every instance that shares the ledger.</summary>
    private async ValueTask<UsageCall> StartSharedAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        Throw.IfNull(messages);
        (string requestModel, string? callerTag) = _tracker.Resolve(options?.AdditionalProperties, options?.ModelId);
        if (_tracker.AnyBudgetApplies(requestModel, callerTag))
        {
            (int input, int output) = EstimateTokens(requestModel, messages, options);
            await _tracker.EnforceBudgetsAsync(requestModel, callerTag, input, output, cancellationToken).ConfigureAwait(false);
        }

        return _tracker.Start(requestModel, callerTag, options?.AdditionalProperties);
    }

    /// <summary>Estimates a call's size for the budget checks: its input tokens and the output it may produce.</summary>
    private (int Input, int Output) EstimateTokens(string requestModel, IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        (ChatTokenEstimator.CountTokens(TiktokenTokenCounter.ForModel(requestModel), messages, options), options?.MaxOutputTokens ?? _tracker.DefaultMaxOutputTokens);

    /// <summary>Records a call from the provider's usage, estimating what it left out from the request and the response or stream.</summary>
    private ValueTask Record(
        UsageCall call,
        TimeSpan latency,
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        string? responseModel,
        UsageDetails? usage,
        IList<ChatMessage>? responseMessages,
        StreamObservation? stream)
    {
        if (stream?.IsCacheHit == true)
        {
            return _tracker.Record(call, latency, responseModel, 0, 0, 0, isEstimated: false, isStreaming: true, isCacheHit: true);
        }

        long? input = usage?.InputTokenCount;
        long? output = usage?.OutputTokenCount;
        bool estimated = input is null || output is null;
        if (estimated)
        {
            ITokenCounter counter = TiktokenTokenCounter.ForModel(responseModel ?? call.RequestModel);
            input ??= ChatTokenEstimator.CountTokens(counter, messages, options);
            output ??= stream is not null ? stream.CountOutputTokens(counter) : CountOutputTokens(counter, responseMessages!);
        }

        return _tracker.Record(call, latency, responseModel, input!.Value, output!.Value, usage?.CachedInputTokenCount ?? 0, estimated, isStreaming: stream is not null);
    }

    /// <summary>What a stream has shown so far: the usage it reported, the model and, for estimates, its output.</summary>
    private sealed class StreamObservation
    {
        private StringBuilder? _text;
        private List<AIContent>? _otherContents;

        public int Updates { get; private set; }

        public UsageDetails? Usage { get; private set; }

        public string? ModelId { get; private set; }

        /// <summary>Gets a value indicating whether a cache served the stream (<see cref="ResponseCacheProperties.Hit"/> on its updates).</summary>
        public bool IsCacheHit { get; private set; }

        public void Observe(ChatResponseUpdate update)
        {
            Updates++;
            if (Updates == 1 && ResponseCacheProperties.GetHit(update.AdditionalProperties) is not null)
            {
                IsCacheHit = true;
            }

            if (!string.IsNullOrEmpty(update.ModelId))
            {
                ModelId = update.ModelId;
            }

            IList<AIContent> contents = update.Contents;
            for (int i = 0; i < contents.Count; i++)
            {
                switch (contents[i])
                {
                    case UsageContent usage:
                        Usage ??= new UsageDetails();
                        Usage.Add(usage.Details);
                        break;
                    case TextContent text:
                        (_text ??= new StringBuilder()).Append(text.Text);
                        break;
                    case TextReasoningContent or FunctionCallContent or FunctionResultContent:
                        (_otherContents ??= []).Add(contents[i]);
                        break;
                }
            }
        }

        public long CountOutputTokens(ITokenCounter counter) =>
            (_text is null ? 0 : counter.CountTokens(_text.ToString()))
            + (_otherContents is null ? 0 : ChatTokenEstimator.CountContentTokens(counter, _otherContents));
    }
}
