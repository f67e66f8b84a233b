using System.Threading.RateLimiting;

namespace AiEng.Inference;

/// <summary>
/// A token bucket on an injected <see cref="TimeProvider"/>: permits refill continuously at a fixed rate up to a capacity,
/// and waiters are served in arrival order (a large request is not overtaken by small ones), each at the moment the bucket
/// holds its permits: a one-shot timer is armed for the first waiter's due time, so no time is lost between ticks.
/// </summary>
/// <remarks>
/// <c>System.Threading.RateLimiting</c>'s <see cref="TokenBucketRateLimiter"/> measures elapsed time with
/// <c>Stopwatch</c> even when it is replenished by hand, so a <c>FakeTimeProvider</c> cannot drive it; this is the same
/// contract (a <see cref="RateLimiter"/> with leases, queueing and cancellation) on the clock AiEng injects everywhere.
/// </remarks>
internal sealed class PacedRateLimiter : RateLimiter
{
    // Rounding of the continuous refill must not leave a waiter one billionth of a permit short.
    private const double Tolerance = 1e-6;

    private readonly Lock _gate = new();
    private readonly Queue<Waiter> _queue = new();
    private readonly TimeProvider _timeProvider;
    private readonly double _capacity;
    private readonly double _perSecond;
    private readonly double _perTimestamp;
    private readonly ITimer _timer;
    private double _available;
    private long _last;
    private long _queuedPermits;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="PacedRateLimiter"/> class, full.</summary>
    /// <param name="capacity">The most permits it holds.</param>
    /// <param name="perSecond">How many permits it gains a second.</param>
    /// <param name="timeProvider">The clock.</param>
    public PacedRateLimiter(int capacity, double perSecond, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _capacity = capacity;
        _available = capacity;
        _perSecond = perSecond;
        _perTimestamp = perSecond / timeProvider.TimestampFrequency;
        _last = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(static state => ((PacedRateLimiter)state!).Serve(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gets the most permits one request may take.</summary>
    public int Capacity => (int)_capacity;

    /// <inheritdoc />
    public override TimeSpan? IdleDuration => null;

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_available, CurrentQueuedCount = _queuedPermits };
        }
    }

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Refill();
            return TryTake(permitCount) ? Lease.Acquired : Lease.Rejected;
        }
    }

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, Capacity);
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Refill();
            if (TryTake(permitCount))
            {
                return new ValueTask<RateLimitLease>(Lease.Acquired);
            }

            waiter = new Waiter(permitCount);
            _queue.Enqueue(waiter);
            _queuedPermits += permitCount;
            if (_queue.Count == 1)
            {
                ArmForFirstWaiter();
            }
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(
                static (state, token) => ((Waiter)state!).Completion.TrySetCanceled(token), waiter);
        }

        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        _timer.Dispose();
        lock (_gate)
        {
            _disposed = true;
            while (_queue.TryDequeue(out var waiter))
            {
                waiter.Completion.TrySetResult(Lease.Rejected);
                waiter.Registration.Dispose();
            }
        }
    }

    /// <summary>Refills, then serves waiters in order while the first one fits; cancelled waiters give back their place.</summary>
    private void Serve()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Refill();
            while (_queue.TryPeek(out var waiter))
            {
                if (waiter.Completion.Task.IsCompleted)
                {
                    // Cancelled while queued.
                    _queue.Dequeue();
                    _queuedPermits -= waiter.Permits;
                    continue;
                }

                if (_available + Tolerance < waiter.Permits)
                {
                    ArmForFirstWaiter();
                    return;
                }

                _queue.Dequeue();
                _queuedPermits -= waiter.Permits;
                if (waiter.Completion.TrySetResult(Lease.Acquired))
                {
                    _available = Math.Max(0, _available - waiter.Permits);
                }

                waiter.Registration.Dispose();
            }
        }
    }

    /// <summary>Arms the timer for when the bucket will hold the first waiter's permits (called under the lock).</summary>
    private void ArmForFirstWaiter()
    {
        if (_queue.TryPeek(out var first))
        {
            double seconds = Math.Max(0, first.Permits - _available) / _perSecond;

            // A timer that fires a hair early finds the bucket short and re-arms for the rest.
            _timer.Change(TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
        }
    }

    private bool TryTake(int permits)
    {
        // Waiters first: a new request never overtakes the queue.
        if (_queue.Count > 0 && _queue.Any(waiter => !waiter.Completion.Task.IsCompleted))
        {
            return false;
        }

        if (_available + Tolerance < permits)
        {
            return false;
        }

        _available = Math.Max(0, _available - permits);
        return true;
    }

    private void Refill()
    {
        long now = _timeProvider.GetTimestamp();
        _available = Math.Min(_capacity, _available + ((now - _last) * _perTimestamp));
        _last = now;
    }

    private sealed class Waiter(int permits)
    {
        public int Permits { get; } = permits;

        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }

    /// <summary>Leases hold nothing to give back: permits of a bucket are spent, not borrowed.</summary>
    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true);
        public static readonly Lease Rejected = new(false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
