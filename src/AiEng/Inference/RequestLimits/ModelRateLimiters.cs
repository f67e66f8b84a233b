using System.Collections.Concurrent;
using System.Globalization;
using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>
/// The process-wide registry of <see cref="ModelRateLimiter"/>s, one per provider and model id, so that every client of the
/// same model (the default and named models, every scope) shares one budget of requests and tokens per minute, as the
/// provider counts them. <c>AddAiEng</c> registers one as a singleton.
/// </summary>
public sealed class ModelRateLimiters : IDisposable
{
    private readonly ConcurrentDictionary<string, ModelRateLimiter> _limiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="ModelRateLimiters"/> class.</summary>
    /// <param name="timeProvider">The clock of the limiters; <see langword="null"/> for the system clock.</param>
    public ModelRateLimiters(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Gets the limiter of a model, creating it with <paramref name="options"/> on first use.</summary>
    /// <param name="provider">The provider's name, for example <c>OpenAI</c>.</param>
    /// <param name="model">The model id, for example <c>gpt-4o-mini</c>.</param>
    /// <param name="options">The model's limits.</param>
    /// <returns>The limiter every caller of the model shares.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="provider"/> or <paramref name="model"/> is empty, or a limit is out of range.</exception>
    /// <exception cref="InvalidOperationException">The model already has a limiter with other limits (two configurations of one model disagree).</exception>
    public ModelRateLimiter GetOrAdd(string provider, string model, ModelRateLimitOptions options)
    {
        Throw.IfNull(options);
        options.Validate();
        string key = KeyOf(provider, model);
        if (!_limiters.TryGetValue(key, out var limiter))
        {
            var created = new ModelRateLimiter(options, _timeProvider);
            limiter = _limiters.GetOrAdd(key, created);
            if (!ReferenceEquals(limiter, created))
            {
                created.Dispose();
            }
        }

        var existing = limiter.Options;
        if (existing.RequestsPerMinute != options.RequestsPerMinute || existing.TokensPerMinute != options.TokensPerMinute)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The model {provider}/{model} is configured twice with different rate limits ({Describe(existing)}, then {Describe(options)}). "
                + $"Both configurations send to one account's limit, so give them the same Settings:{ModelRateLimitOptions.RequestsPerMinuteSetting} and Settings:{ModelRateLimitOptions.TokensPerMinuteSetting}."));
        }

        return limiter;
    }

    /// <summary>Gets the limiter of a model, or <see langword="null"/> when it has none.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="model">The model id.</param>
    /// <returns>The limiter, if any.</returns>
    /// <exception cref="ArgumentException"><paramref name="provider"/> or <paramref name="model"/> is <see langword="null"/>, empty or whitespace.</exception>
    public ModelRateLimiter? Find(string provider, string model) => _limiters.TryGetValue(KeyOf(provider, model), out var limiter) ? limiter : null;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }

        _limiters.Clear();
    }

    private static string KeyOf(string provider, string model)
    {
        Throw.IfNullOrWhitespace(provider);
        Throw.IfNullOrWhitespace(model);
        return provider.Trim() + "/" + model.Trim();
    }

    private static string Describe(ModelRateLimitOptions options) => string.Create(
        CultureInfo.InvariantCulture,
        $"{options.RequestsPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "no"} requests and {options.TokensPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "no"} tokens per minute");
}
