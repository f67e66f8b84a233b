namespace AiEng.Inference;

/// <summary>Progress of a batch run, reported after each finished item.</summary>
public sealed class BatchProgress
{
    /// <summary>Initializes a new instance of the <see cref="BatchProgress"/> class.</summary>
    /// <param name="completed">Items finished, succeeded or failed, resumed ones included.</param>
    /// <param name="failed">Items that failed.</param>
    /// <param name="resumed">Items taken from the results file of an earlier run.</param>
    /// <param name="total">Items in the batch.</param>
    /// <param name="elapsed">Time since this run started.</param>
    /// <param name="estimatedRemaining">The time the rest should take at this run's pace so far, or <see langword="null"/> before the first item of this run finished.</param>
    public BatchProgress(int completed, int failed, int resumed, int total, TimeSpan elapsed, TimeSpan? estimatedRemaining)
    {
        Completed = completed;
        Failed = failed;
        Resumed = resumed;
        Total = total;
        Elapsed = elapsed;
        EstimatedRemaining = estimatedRemaining;
    }

    /// <summary>Gets the items finished, succeeded or failed, resumed ones included.</summary>
    public int Completed { get; }

    /// <summary>Gets the items that failed.</summary>
    public int Failed { get; }

    /// <summary>Gets the items taken from the results file of an earlier run.</summary>
    public int Resumed { get; }

    /// <summary>Gets the items in the batch.</summary>
    public int Total { get; }

    /// <summary>Gets the time since this run started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets the time the rest should take at this run's pace so far, or <see langword="null"/> before the first item of this run finished.</summary>
    public TimeSpan? EstimatedRemaining { get; }

    /// <summary>Describes the progress, for example <c>120/500 done, 2 failed, 40 resumed, 00:00:31 elapsed, ~00:01:38 left</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        string text = FormattableString.Invariant($"{Completed}/{Total} done, {Failed} failed, {Resumed} resumed, {Format(Elapsed)} elapsed");
        return EstimatedRemaining is { } left ? text + ", ~" + Format(left) + " left" : text;
    }

    private static string Format(TimeSpan time) => time.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture);
}
