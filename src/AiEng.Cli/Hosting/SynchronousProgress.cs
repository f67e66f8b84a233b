namespace AiEng.Cli;

/// <summary>
/// Reports progress on the reporting thread (<see cref="Progress{T}"/> posts to the thread pool, so lines could arrive
/// after the result is printed or out of order).
/// </summary>
/// <typeparam name="T">The progress value.</typeparam>
internal sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly Action<T> _report;
    private readonly Lock _lock = new();

    /// <summary>Initializes a new instance of the <see cref="SynchronousProgress{T}"/> class.</summary>
    public SynchronousProgress(Action<T> report) => _report = report;

    /// <inheritdoc />
    public void Report(T value)
    {
        lock (_lock)
        {
            _report(value);
        }
    }
}
