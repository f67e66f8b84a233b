using System.Globalization;

namespace AiEng.Inference;

/// <summary>
/// A model's client-side rate limits: how many requests and how many tokens per minute every caller in the process may send
/// to it together, so that a busy application queues its calls instead of collecting <c>429 Too Many Requests</c>.
/// </summary>
/// <remarks>
/// <para>
/// Configuration keys, under the model's section (for example <c>AiEng:Chat</c> or <c>AiEng:EmbeddingModels:small</c>):
/// <c>Settings:RequestsPerMinute</c> and <c>Settings:TokensPerMinute</c>, whole numbers above zero. Set them a little below
/// the limits of your account's tier, which the provider publishes per model.
/// </para>
/// <para>
/// Requests are spread evenly over the minute (about a tenth of a second's worth at a time), as providers enforce their per-minute
/// limits over shorter intervals; tokens are counted before the call (the prompt's estimate plus <c>MaxOutputTokens</c>) and
/// corrected with the usage the model reports.
/// </para>
/// </remarks>
public sealed class ModelRateLimitOptions
{
    /// <summary>The model setting that sets <see cref="RequestsPerMinute"/>: <c>RequestsPerMinute</c>.</summary>
    public const string RequestsPerMinuteSetting = "RequestsPerMinute";

    /// <summary>The model setting that sets <see cref="TokensPerMinute"/>: <c>TokensPerMinute</c>.</summary>
    public const string TokensPerMinuteSetting = "TokensPerMinute";

    /// <summary>Gets or sets how many requests per minute may be sent to the model, or <see langword="null"/> for no request limit.</summary>
    /// <value>At least 1. The default is <see langword="null"/>.</value>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets how many tokens (prompt and completion) per minute may be sent to the model, or <see langword="null"/> for no token limit.</summary>
    /// <value>At least 1. The default is <see langword="null"/>. One request may not hold more tokens than this.</value>
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets a value indicating whether any limit is set.</summary>
    public bool LimitsAnything => RequestsPerMinute is not null || TokensPerMinute is not null;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A limit is zero or negative; the message names the setting and an example.</exception>
    public void Validate()
    {
        foreach ((string setting, int? value, string example) in new[]
        {
            (RequestsPerMinuteSetting, RequestsPerMinute, "500"),
            (TokensPerMinuteSetting, TokensPerMinute, "200000"),
        })
        {
            if (value is int limit && limit < 1)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{setting} is {limit}; it must be a whole number above zero (for example {example}), or null for no limit."),
                    "options");
            }
        }
    }

    /// <summary>Creates a copy, so that a limiter never sees later changes of the caller's instance.</summary>
    internal ModelRateLimitOptions Clone() => new() { RequestsPerMinute = RequestsPerMinute, TokensPerMinute = TokensPerMinute };
}
