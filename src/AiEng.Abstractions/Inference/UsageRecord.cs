namespace AiEng.Inference;

/// <summary>The usage of one model call: tokens, latency and cost.</summary>
public sealed record UsageRecord
{
    /// <summary>Gets when the call started.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the operation, following the OpenTelemetry GenAI names: <c>chat</c> or <c>embeddings</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>Gets the provider name, for example <c>openai</c>, when known.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the model id that served the call (or was asked for, when the response does not say).</summary>
    public required string Model { get; init; }

    /// <summary>Gets the number of input (prompt) tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the number of output (completion) tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets how many of the input tokens were served from the provider's prompt cache.</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Gets the wall-clock latency of the call.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Gets the cost in the price table's currency, or <see langword="null"/> when the model has no price.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Gets a value indicating whether the token counts were estimated with a tokenizer because the provider returned none.</summary>
    public bool IsEstimated { get; init; }

    /// <summary>Gets the caller tag the call was made under (a feature, tenant or test name), if any.</summary>
    public string? CallerTag { get; init; }

    /// <summary>Gets a value indicating whether the call was streamed.</summary>
    public bool IsStreaming { get; init; }

    /// <summary>
    /// Gets a value indicating whether a cache answered the call (for example the semantic cache) instead of the model: it
    /// used no tokens and has a cost of zero. The embedding that looked it up is a record of its own.
    /// </summary>
    public bool IsCacheHit { get; init; }

    /// <summary>
    /// Gets the position, in a cascade (<c>UseCascade</c>), of the model the call was sent to, when a cascade sent it (it sets
    /// <c>ChatOptions.AdditionalProperties["aieng.cascade_step"]</c>): 0 for the first, cheapest model, 1 or more for an
    /// escalation, a call made because the answers of the models before it were not accepted. <see langword="null"/> when
    /// no cascade made the call.
    /// </summary>
    public int? CascadeStep { get; init; }

    /// <summary>
    /// Gets the prompt the call was rendered from, as <c>name@version</c>, when its options carry one (rendering a prompt
    /// sets <c>ChatOptions.AdditionalProperties["aieng.prompt"]</c>); otherwise <see langword="null"/>.
    /// </summary>
    public string? Prompt { get; init; }

    /// <summary>
    /// Gets the content hash of that prompt (<c>sha256:</c> and 64 hex digits, from <c>AdditionalProperties["aieng.prompt_hash"]</c>),
    /// which ties the call to the exact prompt text; otherwise <see langword="null"/>.
    /// </summary>
    public string? PromptHash { get; init; }
}
