using AiEng.Tokens;

namespace AiEng.Providers;

/// <summary>
/// What one request to an embedding model may hold, and how many requests may be in flight at once: a provider's published
/// limits (see <see cref="ModelProvider.GetEmbeddingRequestLimits"/>), which configuration can override per model.
/// </summary>
/// <remarks>
/// <para>
/// AiEng's embedding pipeline splits a call into requests that respect <see cref="MaxInputsPerRequest"/> and
/// <see cref="MaxTokensPerRequest"/>, in order, and rejects an input over <see cref="MaxTokensPerInput"/> before sending
/// anything. <see cref="MaxParallelRequests"/> is advice to callers that send several calls at once, such as the
/// document ingestor. The pipeline answers <c>GetService(typeof(EmbeddingRequestLimits))</c> with the limits in effect.
/// </para>
/// <para>Configuration keys, under the model's section (for example <c>AiEng:Embeddings</c>): <c>Settings:MaxInputsPerRequest</c>,
/// <c>Settings:MaxTokensPerRequest</c>, <c>Settings:MaxTokensPerInput</c> and <c>Settings:MaxParallelRequests</c>.</para>
/// </remarks>
public sealed class EmbeddingRequestLimits
{
    /// <summary>The setting that overrides <see cref="MaxInputsPerRequest"/>: <c>MaxInputsPerRequest</c>.</summary>
    public const string MaxInputsPerRequestSetting = "MaxInputsPerRequest";

    /// <summary>The setting that overrides <see cref="MaxTokensPerRequest"/>: <c>MaxTokensPerRequest</c>.</summary>
    public const string MaxTokensPerRequestSetting = "MaxTokensPerRequest";

    /// <summary>The setting that overrides <see cref="MaxTokensPerInput"/>: <c>MaxTokensPerInput</c>.</summary>
    public const string MaxTokensPerInputSetting = "MaxTokensPerInput";

    /// <summary>The setting that overrides <see cref="MaxParallelRequests"/>: <c>MaxParallelRequests</c>.</summary>
    public const string MaxParallelRequestsSetting = "MaxParallelRequests";

    /// <summary>Gets the largest number of inputs one request may hold, or <see langword="null"/> for no limit.</summary>
    public int? MaxInputsPerRequest { get; init; }

    /// <summary>Gets the largest number of tokens, summed over its inputs, one request may hold, or <see langword="null"/> for no limit.</summary>
    public int? MaxTokensPerRequest { get; init; }

    /// <summary>
    /// Gets the largest number of tokens one input may have, or <see langword="null"/> for no limit. A longer input is an
    /// error, not truncated: the text past the limit would otherwise be missing from the index without anyone knowing.
    /// </summary>
    public int? MaxTokensPerInput { get; init; }

    /// <summary>Gets how many requests a caller should have in flight at once, or <see langword="null"/> when the provider does not say (callers then send one at a time).</summary>
    public int? MaxParallelRequests { get; init; }

    /// <summary>
    /// Gets the counter of the model's own tokens, when the provider knows it (for example <c>cl100k_base</c> for OpenAI's
    /// <c>text-embedding-3</c> models); otherwise the application's registered <see cref="ITokenCounter"/> counts, as an estimate.
    /// </summary>
    public ITokenCounter? TokenCounter { get; init; }

    /// <summary>Gets a value indicating whether a call may have to be split or checked: a limit per request or per input is set.</summary>
    public bool LimitsRequests => MaxInputsPerRequest is not null || MaxTokensPerRequest is not null || MaxTokensPerInput is not null;

    /// <summary>Gets a value indicating whether inputs must be counted in tokens: a token limit is set.</summary>
    public bool CountsTokens => MaxTokensPerRequest is not null || MaxTokensPerInput is not null;
}
