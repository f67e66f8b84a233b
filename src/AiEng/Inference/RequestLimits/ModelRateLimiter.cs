using System.Globalization;
using System.Threading.RateLimiting;
using AiEng.Shared;
using Polly;
using Polly.RateLimiting;

namespace AiEng.Inference;

/// <summary>
/// The client-side rate limits of one model, shared by every caller in the process: a request limiter and a token limiter
/// (token buckets on the injected <see cref="TimeProvider"/>, <c>System.Threading.RateLimiting</c> <see cref="RateLimiter"/>s run
/// through Polly's rate limiter strategy) that queue calls in order until they may be sent, and a pause that stops every
/// caller when the provider says the limit is reached.
/// </summary>
/// <remarks>
/// <para>
/// A per-minute limit <c>L</c> refills continuously at <c>L / 60</c> a second, and each queued call is admitted the moment
/// its permits are there. The request limiter holds no more than <c>ceil(L / 600)</c> requests (a tenth of a second's), so
/// requests leave at the limit's pace rather than in a burst at the start of each minute; the token limiter holds up to a
/// minute's tokens, so that any request up to <see cref="ModelRateLimitOptions.TokensPerMinute"/> tokens fits.
/// </para>
/// <para>
/// Adaptation: <see cref="ObserveResponse"/> reads the headers providers send (<c>x-ratelimit-remaining-requests</c>,
/// <c>x-ratelimit-remaining-tokens</c> with their <c>x-ratelimit-reset-*</c> durations, and <c>Retry-After</c> /
/// <c>retry-after-ms</c> on a 429), and <see cref="PauseFor"/> holds back every queued and new call of the model until the
/// reset, at most <see cref="MaxPause"/> at a time. Tokens are estimated before a call; when the model reports more, the
/// difference is taken from the next calls' allowance (an estimate above the actual count is not given back).
/// </para>
/// <para>Usually one per provider and model, from <see cref="ModelRateLimiters"/>, the registry <c>AddAiEng</c> registers.</para>
/// </remarks>
public sealed class ModelRateLimiter : IDisposable
{
    /// <summary>The longest a provider's header pauses the model's callers in one go: 1 minute.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(1);

    /// <summary>The tokens a call is estimated to use, read by the rate limiter strategy from the call's Polly context.</summary>
    internal static readonly ResiliencePropertyKey<int> TokensKey = new("AiEng.RateLimits.Tokens");

    // How often, at most, permits are added: ten times a second.
    private const int StepsPerMinute = 600;
    private static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(1);

    private readonly ModelRateLimitOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly PacedRateLimiter? _requests;
    private readonly PacedRateLimiter? _tokens;
    private readonly ResiliencePipeline _pipeline;
    private long _pausedUntilTicks;
    private long _tokenDebt;

    /// <summary>Initializes a new instance of the <see cref="ModelRateLimiter"/> class.</summary>
    /// <param name="options">The limits; copied, so later changes do not apply.</param>
    /// <param name="timeProvider">The clock that replenishes the limits and times pauses; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A limit is out of range (see <see cref="ModelRateLimitOptions.Validate"/>).</exception>
    public ModelRateLimiter(ModelRateLimitOptions options, TimeProvider? timeProvider = null)
    {
        Throw.IfNull(options);
        options.Validate();
        _options = options.Clone();
        _timeProvider = timeProvider ?? TimeProvider.System;
        if (_options.RequestsPerMinute is int requests)
        {
            _requests = CreateBucket(requests, burst: false);
        }

        if (_options.TokensPerMinute is int tokens)
        {
            _tokens = CreateBucket(tokens, burst: true);
        }

        _pipeline = new ResiliencePipelineBuilder { TimeProvider = _timeProvider }
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = "AiEng.RateLimiter",
                RateLimiter = args => AcquireAsync(args.Context.Properties.GetValue(TokensKey, 0), args.Context.CancellationToken),
            })
            .Build();
    }

    /// <summary>Gets a copy of the limits.</summary>
    public ModelRateLimitOptions Options => _options.Clone();

    /// <summary>Gets a value indicating whether calls must be given a token estimate (a token limit is set).</summary>
    internal bool CountsTokens => _tokens is not null;

    /// <summary>Gets the time until which every call of the model waits, or <see langword="null"/> when it is not paused.</summary>
    public DateTimeOffset? PausedUntil
    {
        get
        {
            long ticks = Interlocked.Read(ref _pausedUntilTicks);
            return ticks > _timeProvider.GetUtcNow().UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        }
    }

    /// <summary>Holds back every call of the model, queued or new, for <paramref name="delay"/> (at most <see cref="MaxPause"/>); a longer pause already in force stays.</summary>
    /// <param name="delay">How long to wait, as the provider asked.</param>
    public void PauseFor(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        long until = (_timeProvider.GetUtcNow() + (delay < MaxPause ? delay : MaxPause)).UtcTicks;
        long current = Interlocked.Read(ref _pausedUntilTicks);
        while (until > current)
        {
            long seen = Interlocked.CompareExchange(ref _pausedUntilTicks, until, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Adapts to a response of the model: pauses every caller until the reset when <c>x-ratelimit-remaining-requests</c> or
    /// <c>x-ratelimit-remaining-tokens</c> is 0, or for the <c>retry-after-ms</c> / <c>Retry-After</c> delay of a 429
    /// (1 second when a 429 says nothing).
    /// </summary>
    /// <param name="status">The HTTP status of the response.</param>
    /// <param name="getHeader">Returns a response header's value by its (case-insensitive) name, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="getHeader"/> is <see langword="null"/>.</exception>
    /// <remarks>Provider packages call this for every response (AiEng.OpenAI does, with a pipeline policy on its client).</remarks>
    public void ObserveResponse(int status, Func<string, string?> getHeader)
    {
        Throw.IfNull(getHeader);
        if (status == 429)
        {
            PauseFor(ModelFailures.GetRetryAfter(getHeader, _timeProvider.GetUtcNow()) ?? DefaultPause);
            return;
        }

        foreach (string kind in (ReadOnlySpan<string>)["requests", "tokens"])
        {
            if (long.TryParse(getHeader("x-ratelimit-remaining-" + kind), NumberStyles.Integer, CultureInfo.InvariantCulture, out long remaining) && remaining <= 0)
            {
                PauseFor(ParseDuration(getHeader("x-ratelimit-reset-" + kind)) ?? DefaultPause);
            }
        }
    }

    /// <summary>Pauses the model's callers when <paramref name="exception"/> is a 429, for the delay its response asks (1 second when it says nothing).</summary>
    internal void ObserveFailure(Exception exception)
    {
        if (ModelFailures.GetStatusCode(exception) == 429)
        {
            PauseFor(ModelFailures.GetRetryAfter(exception, _timeProvider.GetUtcNow()) ?? DefaultPause);
        }
    }

    /// <summary>Corrects the token allowance with the usage the model reported: tokens beyond the estimate are taken from the next calls.</summary>
    /// <param name="estimated">The tokens the call was admitted with.</param>
    /// <param name="actual">The tokens the model reported, if it did.</param>
    internal void ReportUsage(int estimated, long? actual)
    {
        if (_tokens is not null && actual is long used && used > estimated)
        {
            Interlocked.Add(ref _tokenDebt, used - estimated);
        }
    }

    /// <summary>Runs <paramref name="call"/> once the limits admit it, through Polly's rate limiter strategy; a 429 it throws pauses the model's callers.</summary>
    /// <typeparam name="TState">The call's state.</typeparam>
    /// <typeparam name="TResult">The call's result.</typeparam>
    /// <param name="tokens">The tokens the call is estimated to use (0 when no token limit is set).</param>
    /// <param name="call">The call.</param>
    /// <param name="state">Its state.</param>
    /// <param name="cancellationToken">Cancels the wait and the call.</param>
    internal async ValueTask<TResult> ExecuteAsync<TState, TResult>(
        int tokens, Func<TState, CancellationToken, ValueTask<TResult>> call, TState state, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(TokensKey, tokens);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (context, state) => state.Call(state.State, context.CancellationToken),
                context,
                (Call: call, State: state)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            ObserveFailure(exception);
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Waits until the limits admit a call of <paramref name="tokens"/> tokens: the pause, then a request permit, then the tokens.</summary>
    internal async ValueTask<RateLimitLease> AcquireAsync(int tokens, CancellationToken cancellationToken)
    {
        await WaitWhilePausedAsync(cancellationToken).ConfigureAwait(false);
        RateLimitLease? requestLease = null;
        RateLimitLease? tokenLease = null;
        try
        {
            if (_requests is not null)
            {
                requestLease = await _requests.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            }

            if (_tokens is not null)
            {
                int limit = _options.TokensPerMinute!.Value;
                if (tokens > limit)
                {
                    throw new ModelRequestException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"The request is estimated at {tokens} tokens, more than the model's {ModelRateLimitOptions.TokensPerMinuteSetting} of {limit}, so it could never be sent; nothing was sent. Shorten the prompt or lower MaxOutputTokens, or raise the setting if your account allows more."));
                }

                long debt = Interlocked.Exchange(ref _tokenDebt, 0);
                int permits = (int)Math.Min(limit, tokens + debt);
                if (permits > 0)
                {
                    tokenLease = await _tokens.AcquireAsync(permits, cancellationToken).ConfigureAwait(false);
                }
            }

            // A pause that began while the call was queued holds it back too.
            await WaitWhilePausedAsync(cancellationToken).ConfigureAwait(false);
            return new ModelRateLimitLease(requestLease, tokenLease);
        }
        catch
        {
            requestLease?.Dispose();
            tokenLease?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _requests?.Dispose();
        _tokens?.Dispose();
    }

    /// <summary>Parses a provider's reset duration: Go-style <c>1s</c>, <c>6m0s</c>, <c>20ms</c>, <c>1h2m3.5s</c>, or plain seconds.</summary>
    /// <returns>The duration, or <see langword="null"/> when the value is missing or not understood.</returns>
    internal static TimeSpan? ParseDuration(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        ReadOnlySpan<char> text = value.AsSpan().Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double plainSeconds))
        {
            return plainSeconds >= 0 && double.IsFinite(plainSeconds) ? TimeSpan.FromSeconds(Math.Min(plainSeconds, MaxPause.TotalSeconds)) : null;
        }

        double milliseconds = 0;
        while (!text.IsEmpty)
        {
            int digits = 0;
            while (digits < text.Length && (char.IsAsciiDigit(text[digits]) || text[digits] == '.'))
            {
                digits++;
            }

            int letters = digits;
            while (letters < text.Length && char.IsAsciiLetter(text[letters]))
            {
                letters++;
            }

            if (digits == 0 || letters == digits
                || !double.TryParse(text[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
            {
                return null;
            }

            double unit = text[digits..letters] switch
            {
                "h" => 3_600_000,
                "m" => 60_000,
                "s" => 1_000,
                "ms" => 1,
                _ => double.NaN,
            };
            if (double.IsNaN(unit))
            {
                return null;
            }

            milliseconds += number * unit;
            text = text[letters..];
        }

        return TimeSpan.FromMilliseconds(Math.Min(milliseconds, MaxPause.TotalMilliseconds));
    }

    private async ValueTask WaitWhilePausedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            long remaining = Interlocked.Read(ref _pausedUntilTicks) - _timeProvider.GetUtcNow().UtcTicks;
            if (remaining <= 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromTicks(remaining), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates a bucket for a per-minute limit.</summary>
    /// <param name="perMinute">The limit.</param>
    /// <param name="burst">Whether the bucket holds a minute's permits (tokens) or only a tenth of a second's, at least one (requests).</param>
    private PacedRateLimiter CreateBucket(int perMinute, bool burst)
    {
        int perStep = (perMinute + StepsPerMinute - 1) / StepsPerMinute;
        return new PacedRateLimiter(burst ? perMinute : perStep, perMinute / 60.0, _timeProvider);
    }

    /// <summary>The lease of one admitted call: its request and token leases, released together.</summary>
    private sealed class ModelRateLimitLease(RateLimitLease? requests, RateLimitLease? tokens) : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                requests?.Dispose();
                tokens?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
