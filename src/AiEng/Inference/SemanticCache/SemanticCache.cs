using System.Text.Json;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiEng.Inference;

/// <summary>
/// The store behind one semantic-cache middleware (<c>UseSemanticCache</c>): question vectors in an index, responses in an
/// <see cref="IDistributedCache"/>, and the scope that keeps requests of different settings apart. Get it from the chat
/// pipeline with <c>client.GetService&lt;SemanticCache&gt;()</c> to invalidate entries.
/// </summary>
/// <remarks>
/// <para>
/// The scope of a request is a hash of everything but its last user message that can change the answer: every earlier
/// message (the system prompt and the conversation so far), the model (the options' model id and the client's provider,
/// endpoint and default model), the tools with their schemas, the response format, every sampling option (temperature,
/// top-p, top-k, penalties, seed, stop sequences, maximum output tokens, reasoning) and other additional properties (but
/// the caller tag), the embedding model, and <see cref="SemanticCacheOptions.AdditionalScope"/>. A response is only ever
/// served to a request of the same scope.
/// </para>
/// <para>
/// The cache never fails the call it serves: a lookup that fails (the embedding model is down) is a miss, and a response
/// that cannot be stored is returned all the same; both are logged as warnings.
/// </para>
/// </remarks>
public sealed class SemanticCache
{
    private const string ScopeVersion = "aieng-semantic-cache/1";
    private const string ResponseKeyPrefix = "aieng-semantic-cache:";

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly SemanticCacheIndex _index;
    private readonly IDistributedCache _responses;
    private readonly SemanticCacheOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly object?[] _modelIdentity;

    internal SemanticCache(
        IEmbeddingGenerator<string, Embedding<float>> generator,
        SemanticCacheIndex index,
        IDistributedCache responses,
        SemanticCacheOptions options,
        ChatClientMetadata? chatMetadata,
        TimeProvider? timeProvider,
        ILogger? logger)
    {
        _generator = generator;
        _index = index;
        _responses = responses;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        EmbeddingGeneratorMetadata? embeddingMetadata = generator.GetService<EmbeddingGeneratorMetadata>();
        _modelIdentity =
        [
            ScopeVersion,
            chatMetadata?.ProviderName,
            chatMetadata?.ProviderUri?.AbsoluteUri,
            chatMetadata?.DefaultModelId,
            embeddingMetadata?.ProviderName,
            embeddingMetadata?.ProviderUri?.AbsoluteUri,
            embeddingMetadata?.DefaultModelId,
            embeddingMetadata?.DefaultModelDimensions,
        ];
    }

    /// <summary>Gets the similarity threshold of this cache (<see cref="SemanticCacheOptions.Threshold"/>).</summary>
    public double Threshold => _options.Threshold;

    /// <summary>
    /// Gets the scope a request is cached under: the hash of its messages other than the last and its options (see the remarks of <see cref="SemanticCache"/>).
    /// </summary>
    /// <param name="messages">The request's messages; the last one is the question and does not count. Pass the system prompt alone (and no question) to get the scope of single questions under it.</param>
    /// <param name="options">The request's options.</param>
    /// <returns>The scope, an opaque hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// For a request whose last message is a user question the scope leaves that question out; otherwise every message
    /// counts. So <c>GetScope([system])</c> and <c>GetScope([system, question])</c> are the same scope.
    /// </remarks>
    public string GetScope(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        IReadOnlyList<ChatMessage> list = AsList(Throw.IfNull(messages));
        int count = list.Count > 0 && list[^1].Role == ChatRole.User ? list.Count - 1 : list.Count;
        return ComputeScope(list, count, options);
    }

    /// <summary>Removes every entry of a scope, so that its requests go to the model again.</summary>
    /// <param name="scope">The scope, from <see cref="GetScope"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the entries are removed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="scope"/> is empty or whitespace.</exception>
    public async Task InvalidateAsync(string scope, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(scope);
        IReadOnlyList<string> keys = await _index.RemoveScopeAsync(scope, cancellationToken).ConfigureAwait(false);
        foreach (string key in keys)
        {
            await _responses.RemoveAsync(ResponseKey(scope, key), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes every entry, of every scope. The vectors are removed (an MEVD collection is deleted, and created again on
    /// the next use); responses left in a shared distributed cache can no longer be found and expire with their time to live.
    /// </summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the entries are removed.</returns>
    public Task InvalidateAllAsync(CancellationToken cancellationToken = default) => _index.ClearAsync(cancellationToken);

    /// <summary>Decides whether a request can use the cache, and gets its question and scope.</summary>
    /// <returns>
    /// <see langword="false"/> for a request that must go to the model untouched: no user text question last, a server-side
    /// conversation or background response, or options the scope cannot hash.
    /// </returns>
    internal bool TryGetRequest(IReadOnlyList<ChatMessage> messages, ChatOptions? options, out string question, out string scope)
    {
        question = scope = string.Empty;
        if (messages.Count == 0 || messages[^1].Role != ChatRole.User || options?.ConversationId is not null
            || options?.ContinuationToken is not null || options?.AllowBackgroundResponses == true)
        {
            return false;
        }

        question = messages[^1].Text;
        if (string.IsNullOrWhiteSpace(question) || messages[^1].Contents.Any(c => c is not TextContent))
        {
            return false;
        }

        try
        {
            scope = ComputeScope(messages, messages.Count - 1, options);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            // A value the scope cannot hash (an additional property of a type JSON cannot write): without a scope, no cache.
            SemanticCacheLog.ScopeFailed(_logger, ex);
            return false;
        }

        return true;
    }

    /// <summary>Looks for a cached response to <paramref name="question"/> in <paramref name="scope"/>.</summary>
    /// <returns>The hit, marked with <see cref="ResponseCacheProperties"/>, or a miss with the question's vector for <see cref="StoreAsync"/> (empty when the lookup failed).</returns>
    internal async Task<(ChatResponse? Hit, ReadOnlyMemory<float> Vector)> LookupAsync(string scope, string question, ChatOptions? chatOptions, CancellationToken cancellationToken)
    {
        try
        {
            Embedding<float> embedding = await _generator.GenerateAsync(question, EmbeddingOptionsFor(chatOptions), cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<float> vector = embedding.Vector;
            var candidates = await _index.SearchAsync(scope, vector, _options.MaxCandidates, cancellationToken).ConfigureAwait(false);
            long now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            foreach ((SemanticCacheRecord record, double similarity) in candidates)
            {
                if (similarity < _options.Threshold)
                {
                    break;
                }

                if (record.ExpiresAt <= now)
                {
                    await RemoveAsync(scope, record.Key, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (_options.Guard is { } guard && !guard.CanServe(question, record.Question))
                {
                    continue;
                }

                byte[]? bytes = await _responses.GetAsync(ResponseKey(scope, record.Key), cancellationToken).ConfigureAwait(false);
                ChatResponse? response = bytes is null ? null : Deserialize(bytes);
                if (response is null)
                {
                    // The response expired or was evicted from the distributed cache: the vector alone is useless.
                    await _index.RemoveAsync(record.Key, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                MarkHit(response.AdditionalProperties ??= [], similarity);
                // The tokens were paid for by the call that was cached; this response used none.
                response.Usage = null;
                return (response, vector);
            }

            return (null, vector);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SemanticCacheLog.LookupFailed(_logger, ex);
            return (null, ReadOnlyMemory<float>.Empty);
        }
    }

    /// <summary>Stores a response that the model gave to <paramref name="question"/>, when it is cacheable.</summary>
    internal async Task StoreAsync(string scope, string question, ReadOnlyMemory<float> vector, ChatResponse response, CancellationToken cancellationToken)
    {
        if (vector.IsEmpty || !IsCacheable(response))
        {
            return;
        }

        try
        {
            var record = new SemanticCacheRecord
            {
                Key = Guid.NewGuid().ToString("N"),
                Scope = scope,
                Question = question,
                ExpiresAt = (_timeProvider.GetUtcNow() + _options.TimeToLive).ToUnixTimeMilliseconds(),
                Vector = vector,
            };
            byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(response, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse)));
            // The response first: a vector is never stored without the response it points to.
            await _responses.SetAsync(
                ResponseKey(scope, record.Key), bytes, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = _options.TimeToLive }, cancellationToken).ConfigureAwait(false);
            await _index.AddAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SemanticCacheLog.StoreFailed(_logger, ex);
        }
    }

    /// <summary>
    /// Gets a value indicating whether a response may be cached: it ended normally (not cut by length, not stopped for tool
    /// calls or by a content filter), calls no function, carries no error and has text.
    /// </summary>
    internal static bool IsCacheable(ChatResponse response)
    {
        if (response.FinishReason is { } reason && (reason == ChatFinishReason.Length || reason == ChatFinishReason.ToolCalls || reason == ChatFinishReason.ContentFilter))
        {
            return false;
        }

        if (response.ContinuationToken is not null || string.IsNullOrWhiteSpace(response.Text))
        {
            return false;
        }

        foreach (ChatMessage message in response.Messages)
        {
            foreach (AIContent content in message.Contents)
            {
                if (content is ToolCallContent or ToolResultContent or ErrorContent or InputRequestContent)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Marks a response or update as served by the semantic cache.</summary>
    internal static void MarkHit(AdditionalPropertiesDictionary properties, double similarity)
    {
        properties[ResponseCacheProperties.Hit] = ResponseCacheProperties.Semantic;
        properties[ResponseCacheProperties.Similarity] = similarity;
    }

    /// <summary>Returns a hit as the updates of a stream, each marked as served by the semantic cache with the hit's similarity.</summary>
    internal static IEnumerable<ChatResponseUpdate> ToHitUpdates(ChatResponse hit)
    {
        double similarity = (double)hit.AdditionalProperties![ResponseCacheProperties.Similarity]!;
        foreach (ChatResponseUpdate update in hit.ToChatResponseUpdates())
        {
            MarkHit(update.AdditionalProperties ??= [], similarity);
            yield return update;
        }
    }

    /// <summary>
    /// Looks up an answer for a request the way the caching client does (the same scope, threshold, expiry and guard), for a
    /// caller outside it: <see langword="null"/> when the request is not one the cache serves or it holds no answer.
    /// </summary>
    internal async Task<ChatResponse?> TryAnswerAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        if (!TryGetRequest(AsList(messages), options, out string question, out string scope))
        {
            return null;
        }

        (ChatResponse? hit, _) = await LookupAsync(scope, question, options, cancellationToken).ConfigureAwait(false);
        return hit;
    }

    internal static IReadOnlyList<ChatMessage> AsList(IEnumerable<ChatMessage> messages) =>
        messages as IReadOnlyList<ChatMessage> ?? [.. messages];

    private static string ResponseKey(string scope, string key) => ResponseKeyPrefix + scope + ":" + key;

    private static ChatResponse? Deserialize(byte[] bytes)
    {
        try
        {
            return (ChatResponse?)JsonSerializer.Deserialize(bytes, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse)));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The embedding call's options: the chat call's caller tag, so that its usage is recorded under the same tag.</summary>
    private static EmbeddingGenerationOptions? EmbeddingOptionsFor(ChatOptions? options) =>
        options?.AdditionalProperties is { } properties && properties.TryGetValue(UsageScope.CallerTagKey, out object? tag)
            ? new EmbeddingGenerationOptions { AdditionalProperties = new() { [UsageScope.CallerTagKey] = tag } }
            : null;

    private async Task RemoveAsync(string scope, string key, CancellationToken cancellationToken)
    {
        await _index.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        await _responses.RemoveAsync(ResponseKey(scope, key), cancellationToken).ConfigureAwait(false);
    }

    private string ComputeScope(IReadOnlyList<ChatMessage> messages, int count, ChatOptions? options)
    {
        var values = new List<object?>(_modelIdentity.Length + 8);
        values.AddRange(_modelIdentity);
        values.Add(count == messages.Count ? messages : messages.Take(count).ToList());
        // No options and default options are one scope. Tools are hashed by their names and schemas below; the caller tag
        // only labels usage; the raw representation factory is code.
        ChatOptions settings = options?.Clone() ?? new ChatOptions();
        settings.Tools = null;
        settings.RawRepresentationFactory = null;
        if (settings.AdditionalProperties is { } properties)
        {
            properties.Remove(UsageScope.CallerTagKey);
            if (properties.Count == 0)
            {
                settings.AdditionalProperties = null;
            }
        }

        values.Add(settings);
        if (options?.Tools is { } tools)
        {
            foreach (AITool tool in tools)
            {
                values.Add(tool.Name);
                values.Add(tool.Description);
                if (tool is AIFunctionDeclaration function)
                {
                    values.Add(function.JsonSchema);
                    values.Add(function.ReturnJsonSchema);
                }
                else
                {
                    values.Add(tool.GetType().FullName);
                }
            }
        }

        values.Add(_options.AdditionalScope?.Invoke(messages, options));
        return AIJsonUtilities.HashDataToString(values.ToArray(), AIJsonUtilities.DefaultOptions);
    }
}
