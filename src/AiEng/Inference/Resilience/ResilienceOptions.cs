using System.ComponentModel.DataAnnotations;
using AiEng.Composition;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Inference;

/// <summary>
/// Options of the resilience middleware (<see cref="ResilientChatClient"/>, <see cref="ResilientEmbeddingGenerator{TInput, TEmbedding}"/>):
/// retries with exponential backoff and jitter that honour <c>Retry-After</c>, per-attempt and total timeouts, and a
/// circuit breaker. Bindable from configuration (the section <c>AiEng:Resilience</c>); every property has a documented default.
/// </summary>
/// <remarks>
/// <para>
/// Transient failures are retried: HTTP 408, 429 and 5xx (except 501 and 505), no response at all (connection failures),
/// timeouts, and I/O or socket errors, as thrown by the OpenAI and Azure clients (<c>ClientResultException</c>), by
/// <see cref="HttpClient"/> (<see cref="HttpRequestException"/>, or a <see cref="TaskCanceledException"/> when its timeout
/// elapses) and by the attempt timeout. Other client errors (400, 401, 403, 404 and the rest of 4xx) are never retried:
/// they surface at once as a <see cref="ModelRequestException"/> that says how to fix them. A cancellation requested
/// through the caller's token is never retried and propagates as it is.
/// </para>
/// <para>
/// The delay before retry <c>n</c> (0-based) is about <see cref="BaseDelay"/> × 2<sup>n</sup> (randomised around that
/// median when <see cref="UseJitter"/> is on), never more than <see cref="MaxDelay"/>. When the provider says how long to
/// wait (<c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c>, or <c>Retry-After</c> as seconds or an HTTP-date), exactly
/// that delay is used, without jitter, capped at <see cref="MaxDelay"/>; <see cref="TotalTimeout"/> still bounds the whole call.
/// </para>
/// </remarks>
public sealed class ResilienceOptions
{
    /// <summary>The configuration section the AiEng DI layer binds these options from.</summary>
    public const string SectionName = "AiEng:Resilience";

    /// <summary>The largest allowed <see cref="MaxRetryAttempts"/>.</summary>
    public const int MaxAllowedRetryAttempts = 100;

    private const string TimeoutRange = "{0} must be between 00:00:00.010 (10 ms) and 1.00:00:00 (24 hours), or null for no limit";

    /// <summary>Gets or sets how many times a failed call is retried after the first attempt; 0 turns retries off.</summary>
    /// <value>Between 0 and 100. The default is 3 (so at most 4 attempts).</value>
    [Range(0, MaxAllowedRetryAttempts, ErrorMessage = "{0} must be between 0 and 100")]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the median delay before the first retry; later retries double it (exponential backoff).</summary>
    /// <value>Between zero and 1 day. The default is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "{0} must be between 00:00:00 and 1.00:00:00 (1 day)")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest delay between two attempts, also the cap on a provider's <c>Retry-After</c>.</summary>
    /// <value>At least <see cref="BaseDelay"/> and at most 1 day. The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "{0} must be between 00:00:00 and 1.00:00:00 (1 day)")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a value indicating whether backoff delays are randomised, so that many clients do not retry in lockstep.</summary>
    /// <value>The default is <see langword="true"/>. A provider's <c>Retry-After</c> is always used as it is.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>Gets or sets the time limit of one attempt; an attempt that takes longer is cancelled and retried.</summary>
    /// <value>
    /// Between 10 ms and 24 hours, or <see langword="null"/> for no limit. The default is 100 seconds (the default timeout of
    /// <see cref="HttpClient"/>). For streaming calls it bounds the time until the first update.
    /// </value>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = TimeoutRange)]
    public TimeSpan? AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Gets or sets the time limit of a whole call, all attempts and delays included.</summary>
    /// <value>
    /// Between 10 ms and 24 hours and not less than <see cref="AttemptTimeout"/>, or <see langword="null"/> for no limit.
    /// The default is 5 minutes. For streaming calls it bounds the time until the first update.
    /// </value>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = TimeoutRange)]
    public TimeSpan? TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the circuit breaker options.</summary>
    /// <value>The default breaks for 15 seconds when at least half of at least 10 calls in 30 seconds failed transiently.</value>
    [Required(ErrorMessage = "{0} must be set (set its Enabled to false to turn the circuit breaker off)")]
    [ValidateObjectMembers]
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>
    /// Gets or sets an optional override of which failures are retried (and counted by the circuit breaker), for example
    /// to retry a provider's own exception type. Return <see langword="true"/> to retry, <see langword="false"/> never to
    /// retry, or <see langword="null"/> to use the built-in classification.
    /// </summary>
    /// <value>The default is <see langword="null"/>. Cancellation through the caller's token is never retried, whatever it returns.</value>
    /// <remarks>Not bound from configuration.</remarks>
    public Func<Exception, bool?>? ShouldRetry { get; set; }

    /// <summary>
    /// Gets or sets the configuration section of the model behind the middleware, for example <c>AiEng:Chat</c> or
    /// <c>AiEng:ChatModels:fast</c>. Error messages name the settings to fix under it, such as <c>AiEng:Chat:ApiKey</c>
    /// and the environment variable <c>AiEng__Chat__ApiKey</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: <c>AiEng:Chat</c> for chat clients and <c>AiEng:Embeddings</c> for embedding generators.</value>
    public string? ConfigurationPath { get; set; }

    /// <summary>Gets or sets the source of random numbers in [0, 1) for jitter; tests set a fixed one. <see langword="null"/> uses Polly's.</summary>
    internal Func<double>? Randomizer { get; set; }

    /// <summary>Checks every value and throws when one is out of its allowed range.</summary>
    /// <exception cref="ArgumentException">
    /// A value is out of range; the message names every such value by its configuration key (under <see cref="SectionName"/>),
    /// its environment variable and the allowed range.
    /// </exception>
    public void Validate()
    {
        var errors = new List<string>();
        Validate(SectionName, errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), "options");
        }
    }

    /// <summary>Checks every value and adds a message for each one out of its allowed range, so that all are reported together.</summary>
    /// <param name="configurationPath">The configuration section the options come from, usually <see cref="SectionName"/>.</param>
    /// <param name="errors">Receives one message per value out of range, naming its configuration key and environment variable.</param>
    internal void Validate(string configurationPath, ICollection<string> errors)
    {
        AnnotationFailures.Add(new ResilienceOptionsAnnotationValidator(), this, configurationPath, errors);
        ResilienceOptionsValidator.AddErrors(this, configurationPath, errors);
    }

    /// <summary>
    /// Resolves the options for one middleware instance: the registered <see cref="IOptions{TOptions}"/> value (bound from
    /// <see cref="SectionName"/> by the DI layer) or the defaults; with <paramref name="configure"/>, a new instance from the
    /// registered <see cref="IOptionsFactory{TOptions}"/> (the same configuration, validated) with the caller's changes applied,
    /// so that they never reach the registered options.
    /// </summary>
    /// <param name="services">The builder's services.</param>
    /// <param name="configure">The caller's changes, if any.</param>
    /// <returns>The options; the middleware reads them once and keeps none of them.</returns>
    internal static ResilienceOptions Resolve(IServiceProvider services, Action<ResilienceOptions>? configure)
    {
        if (configure is null)
        {
            return services.GetService<IOptions<ResilienceOptions>>()?.Value ?? new ResilienceOptions();
        }

        var options = services.GetService<IOptionsFactory<ResilienceOptions>>()?.Create(Options.DefaultName) ?? new ResilienceOptions();
        configure(options);
        return options;
    }
}
