namespace AiEng.Retrieval;

/// <summary>
/// Estimates an ingestion run's throughput (documents a second) with an exponentially weighted moving average over time,
/// and from it the time the remaining documents will take.
/// </summary>
/// <remarks>
/// <para>
/// The first completion is the reference point: the time before it (creating the collection, loading a model, the first
/// embedding call's warm-up) says little about the pace that follows, so it is not measured. Each later observation at a
/// later instant gives a sample rate, the documents completed since the previous sample over the time since; completions
/// at the same instant (a batch that finishes several small documents) wait for the next instant. A sample is weighted by
/// <c>1 - exp(-Δt / τ)</c>, with <c>τ</c> the time constant, so the estimate follows a change of pace within about
/// <c>τ</c> of run time, a long interval weighs more than a short one, and one slow or fast batch moves it only part of the way.
/// </para>
/// <para>There is no estimate until one sample is taken, so the first document alone is never extrapolated.</para>
/// </remarks>
internal sealed class IngestionRateEstimator
{
    /// <summary>The default time constant, 30 seconds: long enough to smooth batch-to-batch noise, short enough to follow a change of pace.</summary>
    public static readonly TimeSpan DefaultTimeConstant = TimeSpan.FromSeconds(30);

    // Estimates beyond this are reported as this: a rate near zero must not overflow a TimeSpan.
    private static readonly TimeSpan MaxEstimate = TimeSpan.FromDays(365);

    private readonly double _timeConstantSeconds;
    private bool _started;
    private long _lastCount;
    private TimeSpan _lastTime;
    private double _rate;
    private bool _hasRate;

    /// <summary>Initializes a new instance of the <see cref="IngestionRateEstimator"/> class.</summary>
    /// <param name="timeConstant">How quickly the estimate follows a change of pace; positive.</param>
    public IngestionRateEstimator(TimeSpan timeConstant)
    {
        _timeConstantSeconds = timeConstant > TimeSpan.Zero
            ? timeConstant.TotalSeconds
            : throw new ArgumentOutOfRangeException(nameof(timeConstant), timeConstant, "The time constant must be positive.");
    }

    /// <summary>Gets the smoothed rate in documents a second, or <see langword="null"/> before the first sample.</summary>
    public double? DocumentsPerSecond => _hasRate ? _rate : null;

    /// <summary>Observes the number of documents completed so far at a point of the run.</summary>
    /// <param name="completed">The documents completed since the run started; never decreasing.</param>
    /// <param name="elapsed">The time since the run started.</param>
    public void Observe(long completed, TimeSpan elapsed)
    {
        if (!_started)
        {
            if (completed > 0)
            {
                _started = true;
                _lastCount = completed;
                _lastTime = elapsed;
            }

            return;
        }

        double seconds = (elapsed - _lastTime).TotalSeconds;
        if (completed <= _lastCount || seconds <= 0)
        {
            return;
        }

        double sample = (completed - _lastCount) / seconds;
        if (_hasRate)
        {
            double weight = 1 - Math.Exp(-seconds / _timeConstantSeconds);
            _rate += weight * (sample - _rate);
        }
        else
        {
            _rate = sample;
            _hasRate = true;
        }

        _lastCount = completed;
        _lastTime = elapsed;
    }

    /// <summary>Estimates the time the <paramref name="remaining"/> documents will take at the smoothed rate.</summary>
    /// <param name="remaining">The documents not yet completed.</param>
    /// <returns>The estimate; zero when nothing remains; <see langword="null"/> before the first sample.</returns>
    public TimeSpan? EstimateRemaining(long remaining)
    {
        if (remaining <= 0)
        {
            return TimeSpan.Zero;
        }

        if (!_hasRate || _rate <= 0)
        {
            return null;
        }

        double seconds = remaining / _rate;
        return seconds >= MaxEstimate.TotalSeconds ? MaxEstimate : TimeSpan.FromSeconds(seconds);
    }
}
