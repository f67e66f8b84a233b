using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AiEng.Testing;

/// <summary>
/// The server side of a requests-per-minute limit, as OpenAI enforces it: a bucket that holds a second's worth of requests
/// (at least one) and refills continuously at the limit's pace. Every answer carries <c>x-ratelimit-limit-requests</c>,
/// <c>x-ratelimit-remaining-requests</c> and <c>x-ratelimit-reset-requests</c>; a request over the limit gets
/// <c>429</c> with <c>Retry-After</c> (whole seconds) and <c>retry-after-ms</c>.
/// </summary>
internal sealed class OpenAITestRateLimit
{
    private readonly Lock _gate = new();
    private readonly int _perMinute;
    private readonly double _capacity;
    private readonly double _perTick;
    private readonly TimeProvider _timeProvider;
    private double _available;
    private long _lastTimestamp;
    private int _rejected;

    /// <summary>Initializes a new instance of the <see cref="OpenAITestRateLimit"/> class.</summary>
    public OpenAITestRateLimit(int perMinute, TimeProvider timeProvider)
    {
        _perMinute = perMinute;
        _capacity = Math.Max(1, perMinute / 60.0);
        _perTick = perMinute / 60.0 / timeProvider.TimestampFrequency;
        _timeProvider = timeProvider;
        _available = _capacity;
        _lastTimestamp = timeProvider.GetTimestamp();
    }

    /// <summary>Gets how many requests were answered with 429.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>Takes one request from the bucket and writes the rate-limit headers; returns <see langword="false"/> with the delay when it is empty.</summary>
    public bool TryTake(HttpResponse response, out TimeSpan retryAfter)
    {
        bool taken;
        double remaining;
        lock (_gate)
        {
            long now = _timeProvider.GetTimestamp();
            _available = Math.Min(_capacity, _available + ((now - _lastTimestamp) * _perTick));
            _lastTimestamp = now;
            taken = _available >= 1;
            if (taken)
            {
                _available -= 1;
            }

            remaining = _available;
        }

        // The time until one whole request is available again, and until the bucket is full.
        retryAfter = TimeSpan.FromSeconds(Math.Max(0, 1 - remaining) * 60.0 / _perMinute);
        var reset = TimeSpan.FromSeconds((_capacity - remaining) * 60.0 / _perMinute);
        response.Headers["x-ratelimit-limit-requests"] = _perMinute.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining-requests"] = ((int)Math.Floor(remaining)).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset-requests"] = ((int)Math.Ceiling(reset.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
        if (!taken)
        {
            Interlocked.Increment(ref _rejected);
            response.Headers["retry-after-ms"] = ((int)Math.Ceiling(retryAfter.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return taken;
    }
}
