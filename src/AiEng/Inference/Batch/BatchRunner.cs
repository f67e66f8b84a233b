using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json.Serialization.Metadata;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Runs an offline workload (classifying a table, embedding a corpus, an evaluation) item by item with bounded concurrency,
/// returns the results in input order, and resumes an interrupted run from its results file without processing finished
/// items again.
/// </summary>
/// <remarks>
/// <para>
/// The runner sends as fast as <see cref="BatchRunnerOptions.MaxConcurrency"/> allows; the pace is set by the model's
/// client: its rate limits (<c>Settings:RequestsPerMinute</c>, <c>Settings:TokensPerMinute</c>, shared with every other caller
/// of the model in the process) queue the calls, and its usage budget stops them. A <see cref="BudgetExceededException"/> from
/// an item stops the run cleanly: no new item starts, the items in flight finish, and the result says which items did not run
/// (<see cref="BatchRunResult{TResult}.BudgetExceeded"/>).
/// </para>
/// <para>
/// With <see cref="BatchRunnerOptions.ResultsPath"/>, each finished item is appended to the file as one JSON line and flushed
/// to disk. Killing the process loses at most the items in flight; running again with the same file returns the items that
/// succeeded from it and processes the others (failed items are tried again).
/// </para>
/// </remarks>
public sealed class BatchRunner
{
    private readonly BatchRunnerOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="BatchRunner"/> class.</summary>
    /// <param name="options">The options, copied; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock of the progress reports; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BatchRunnerOptions.MaxConcurrency"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="BatchRunnerOptions.ResultsPath"/> is empty or whitespace.</exception>
    public BatchRunner(BatchRunnerOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options?.Clone() ?? new BatchRunnerOptions();
        if (_options.MaxConcurrency is < 1 or > BatchRunnerOptions.MaxAllowedConcurrency)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                _options.MaxConcurrency,
                string.Create(CultureInfo.InvariantCulture, $"MaxConcurrency must be between 1 and {BatchRunnerOptions.MaxAllowedConcurrency}, for example 8."));
        }

        if (_options.ResultsPath is { } path && string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("ResultsPath is empty; set it to a file path such as 'results.jsonl', or to null to keep results in memory.", nameof(options));
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Processes every item with <paramref name="process"/> and returns the results in input order.</summary>
    /// <typeparam name="TInput">The input type.</typeparam>
    /// <typeparam name="TResult">The result type; written to the results file with <see cref="BatchRunnerOptions.SerializerOptions"/>.</typeparam>
    /// <param name="items">The items, with ids unique in the batch.</param>
    /// <param name="process">Processes one item's input; it receives the run's cancellation token.</param>
    /// <param name="cancellationToken">Cancels the run: items in flight are cancelled, finished ones stay in the results file.</param>
    /// <returns>One result per item, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/>, an item or <paramref name="process"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two items share an id; the message names it and both positions.</exception>
    /// <exception cref="InvalidDataException">The results file holds a line that is not a result of this batch's type.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>When <see cref="BatchRunnerOptions.ContinueOnItemFailure"/> is off, the first failure is rethrown once the items in flight are done.</remarks>
    public async Task<BatchRunResult<TResult>> RunAsync<TInput, TResult>(
        IEnumerable<BatchItem<TInput>> items, Func<TInput, CancellationToken, ValueTask<TResult>> process, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(items);
        Throw.IfNull(process);
        BatchItem<TInput>[] batch = [.. items];
        CheckIds(batch);

        var results = new BatchItemResult<TResult>[batch.Length];
        BatchResultsFile<TResult>? file = null;
        int resumed = 0;
        if (_options.ResultsPath is { } path)
        {
            var type = (JsonTypeInfo<TResult>)(_options.SerializerOptions ?? AIJsonUtilities.DefaultOptions).GetTypeInfo(typeof(TResult));
            (file, var succeeded) = await BatchResultsFile<TResult>.OpenAsync(path, type, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < batch.Length; i++)
            {
                if (succeeded.TryGetValue(batch[i].Id, out var value))
                {
                    results[i] = new BatchItemResult<TResult>(batch[i].Id, i, BatchItemStatus.Succeeded, value, null, resumed: true);
                    resumed++;
                }
            }
        }

        try
        {
            var run = new Run<TInput, TResult>(this, batch, results, file, resumed, process);
            await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < results.Length; i++)
            {
                results[i] ??= new BatchItemResult<TResult>(batch[i].Id, i, BatchItemStatus.NotRun, default, null, resumed: false);
            }

            run.Fatal?.Throw();
            return new BatchRunResult<TResult>(results, run.Budget);
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void CheckIds<TInput>(BatchItem<TInput>[] batch)
    {
        var seen = new Dictionary<string, int>(batch.Length, StringComparer.Ordinal);
        for (int i = 0; i < batch.Length; i++)
        {
            var item = batch[i] ?? throw new ArgumentNullException(nameof(batch), string.Create(CultureInfo.InvariantCulture, $"Item {i} of the batch is null."));
            if (!seen.TryAdd(item.Id, i))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Items {seen[item.Id]} and {i} of the batch share the id '{item.Id}'. Ids find results again when a run resumes, so each must be unique: use a row key or a content hash."),
                    "items");
            }
        }
    }

    /// <summary>One execution of <see cref="RunAsync"/>: the shared counters and the stop signal.</summary>
    private sealed class Run<TInput, TResult>(
        BatchRunner runner, BatchItem<TInput>[] batch, BatchItemResult<TResult>[] results, BatchResultsFile<TResult>? file, int resumedCount,
        Func<TInput, CancellationToken, ValueTask<TResult>> process)
    {
        private readonly long _started = runner._timeProvider.GetTimestamp();
        private readonly int _resumed = resumedCount;
        private int _completed = resumedCount;
        private int _completedHere;
        private int _failed;
        private volatile bool _stopped;

        public BudgetExceededException? Budget { get; private set; }

        public ExceptionDispatchInfo? Fatal { get; private set; }

        public async Task ExecuteAsync(CancellationToken cancellationToken)
        {
            var pending = Enumerable.Range(0, batch.Length).Where(i => results[i] is null);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = runner._options.MaxConcurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(pending, parallel, async (index, token) =>
            {
                if (!_stopped)
                {
                    await ProcessAsync(index, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }

        private async Task ProcessAsync(int index, CancellationToken cancellationToken)
        {
            var item = batch[index];
            TResult value;
            try
            {
                value = await process(item.Input, cancellationToken).ConfigureAwait(false);
            }
            catch (BudgetExceededException budget)
            {
                // The budget refused the call before it was sent: the item did not run, and no other will start.
                Budget ??= budget;
                _stopped = true;
                return;
            }
            catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                string error = exception.GetType().Name + ": " + exception.Message;
                results[index] = new BatchItemResult<TResult>(item.Id, index, BatchItemStatus.Failed, default, error, resumed: false);
                Interlocked.Increment(ref _failed);
                if (file is not null)
                {
                    await file.AppendFailedAsync(item.Id, error).ConfigureAwait(false);
                }

                if (!runner._options.ContinueOnItemFailure)
                {
                    Fatal ??= ExceptionDispatchInfo.Capture(exception);
                    _stopped = true;
                }

                Report();
                return;
            }

            if (file is not null)
            {
                await file.AppendSucceededAsync(item.Id, value).ConfigureAwait(false);
            }

            results[index] = new BatchItemResult<TResult>(item.Id, index, BatchItemStatus.Succeeded, value, null, resumed: false);
            Report();
        }

        private void Report()
        {
            int completed = Interlocked.Increment(ref _completed);
            int here = Interlocked.Increment(ref _completedHere);
            if (runner._options.Progress is not { } progress)
            {
                return;
            }

            var elapsed = runner._timeProvider.GetElapsedTime(_started);
            var remaining = TimeSpan.FromTicks(elapsed.Ticks / here * Math.Max(0, batch.Length - completed));
            progress.Report(new BatchProgress(completed, Volatile.Read(ref _failed), _resumed, batch.Length, elapsed, remaining));
        }
    }
}
