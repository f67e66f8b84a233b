using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>What <see cref="FineTuningJobRunner"/> learned from one poll of a job: its state and the events new since the last poll.</summary>
public sealed class FineTuningJobProgress
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningJobProgress"/> class.</summary>
    /// <param name="job">The job as just polled.</param>
    /// <param name="newEvents">The events not reported before, oldest first.</param>
    /// <param name="statusChanged">Whether the status differs from the previous poll's (true for the first poll).</param>
    /// <exception cref="ArgumentNullException"><paramref name="job"/> or <paramref name="newEvents"/> is <see langword="null"/>.</exception>
    public FineTuningJobProgress(FineTuningJob job, IReadOnlyList<FineTuningJobEvent> newEvents, bool statusChanged)
    {
        Job = Throw.IfNull(job);
        NewEvents = Throw.IfNull(newEvents);
        StatusChanged = statusChanged;
    }

    /// <summary>Gets the job as just polled.</summary>
    public FineTuningJob Job { get; }

    /// <summary>Gets the events not reported before, oldest first.</summary>
    public IReadOnlyList<FineTuningJobEvent> NewEvents { get; }

    /// <summary>Gets a value indicating whether the status differs from the previous poll's (true for the first poll).</summary>
    public bool StatusChanged { get; }
}
