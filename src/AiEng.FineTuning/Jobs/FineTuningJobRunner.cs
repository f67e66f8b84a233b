using System.Runtime.CompilerServices;
using AiEng.Inference;
using AiEng.Shared;
using Polly;
using Polly.Retry;

namespace AiEng.FineTuning;

/// <summary>
/// Runs fine-tuning jobs end to end on any <see cref="IFineTuningClient"/>: uploads a <see cref="FineTuningDataSet"/> as
/// JSONL, creates the job, and follows it by polling until it finishes, reporting each status change and the new events.
/// A failed or cancelled job ends in a <see cref="FineTuningJobException"/> with the job id and the provider's error.
/// </summary>
/// <remarks>
/// <para>
/// Polls (getting the job and its events) run through a Polly pipeline that retries transient failures (429 with its
/// <c>Retry-After</c>, 5xx, dropped connections, as <see cref="ModelFailures"/> classifies them); by default five retries
/// with exponential backoff, or the pipeline passed in (<c>AddFineTuningJobs()</c> takes the one the application
/// registered in Polly's registry under <see cref="ResiliencePipelineKey"/>). Uploading and creating are sent once:
/// neither is idempotent, and a retried create could train (and bill) twice.
/// </para>
/// <para>
/// Waiting uses the injected <see cref="TimeProvider"/>, so tests advance a fake clock instead of sleeping. Cancelling
/// the caller's token stops following the job; the job itself keeps running (its id is in every progress report) unless
/// <see cref="FineTuningJobRunnerOptions.CancelJobOnCancellation"/> is set.
/// </para>
/// </remarks>
public sealed class FineTuningJobRunner
{
    /// <summary>The key of the polling pipeline in Polly's registry that <c>AddFineTuningJobs()</c> looks for: <c>aieng:fine-tuning</c>.</summary>
    public const string ResiliencePipelineKey = ModelResiliencePipelines.KeyPrefix + "fine-tuning";

    private const int EventsPerPoll = 1000;
    private readonly IFineTuningClient _client;
    private readonly FineTuningJobRunnerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Initializes a new instance of the <see cref="FineTuningJobRunner"/> class.</summary>
    /// <param name="client">The provider's fine-tuning client.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults. The runner keeps a copy.</param>
    /// <param name="timeProvider">The clock of the waits between polls; <see langword="null"/> for the system clock.</param>
    /// <param name="pollingPipeline">The pipeline polls run through; <see langword="null"/> for the default retry of transient failures.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value of <paramref name="options"/> is out of range.</exception>
    public FineTuningJobRunner(IFineTuningClient client, FineTuningJobRunnerOptions? options = null, TimeProvider? timeProvider = null, ResiliencePipeline? pollingPipeline = null)
    {
        _client = Throw.IfNull(client);
        _options = (options ?? new FineTuningJobRunnerOptions()).Clone();
        _options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _pipeline = pollingPipeline ?? CreateDefaultPipeline(_timeProvider);
    }

    /// <summary>Writes <paramref name="dataSet"/>'s examples as OpenAI chat JSONL and uploads them.</summary>
    /// <param name="dataSet">The training (or validation) data.</param>
    /// <param name="fileName">The file name the provider records, for example <c>tickets.train.jsonl</c>.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The uploaded file.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSet"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="fileName"/> is empty or whitespace, or the data set has no examples.</exception>
    /// <exception cref="FineTuningJobException">The provider rejected the file; the exception names it.</exception>
    public async Task<FineTuningFile> UploadAsync(FineTuningDataSet dataSet, string fileName, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(dataSet);
        Throw.IfNullOrWhitespace(fileName);
        if (dataSet.Examples.Count == 0)
        {
            throw new ArgumentException($"The data set for '{fileName}' has no examples; build it with FineTuningDataBuilder and check it with FineTuningValidator first.", nameof(dataSet));
        }

        using var content = new MemoryStream();
        using (var writer = new StreamWriter(content, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true))
        {
            await FineTuningJsonl.SerializeExamplesAsync(writer, dataSet.Examples, cancellationToken).ConfigureAwait(false);
        }

        content.Position = 0;
        return await _client.UploadFileAsync(content, fileName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads the training data (and the validation data, if any) and creates a job on them.</summary>
    /// <param name="baseModel">The model to fine-tune, for example <c>gpt-4o-mini-2024-07-18</c>.</param>
    /// <param name="training">The training data.</param>
    /// <param name="name">The name of the files, for example <c>tickets</c>: uploaded as <c>tickets.train.jsonl</c> and <c>tickets.validation.jsonl</c>.</param>
    /// <param name="options">Hyperparameters, seed and suffix; its <see cref="FineTuningJobOptions.ValidationFileId"/> is set from <paramref name="validation"/>.</param>
    /// <param name="validation">Validation data, whose loss the provider reports during training; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the uploads and the request.</param>
    /// <returns>The created job.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="training"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseModel"/> or <paramref name="name"/> is empty or whitespace.</exception>
    /// <exception cref="FineTuningJobException">The provider rejected a file or the job.</exception>
    public async Task<FineTuningJob> SubmitAsync(
        string baseModel, FineTuningDataSet training, string name, FineTuningJobOptions? options = null, FineTuningDataSet? validation = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(baseModel);
        Throw.IfNull(training);
        Throw.IfNullOrWhitespace(name);
        var jobOptions = options?.Clone() ?? new FineTuningJobOptions();
        jobOptions.Validate();
        var trainingFile = await UploadAsync(training, name + ".train.jsonl", cancellationToken).ConfigureAwait(false);
        if (validation is not null)
        {
            jobOptions.ValidationFileId = (await UploadAsync(validation, name + ".validation.jsonl", cancellationToken).ConfigureAwait(false)).Id;
        }

        return await _client.CreateJobAsync(baseModel, trainingFile.Id, jobOptions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Follows a job: polls it every <see cref="FineTuningJobRunnerOptions.PollInterval"/> and yields what each poll
    /// learned, until the job has finished (the last report holds the finished job, whatever its status).
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">Stops following (and cancels the job when <see cref="FineTuningJobRunnerOptions.CancelJobOnCancellation"/> is set).</param>
    /// <returns>One report per poll.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is empty or whitespace.</exception>
    /// <exception cref="TimeoutException">The job did not finish within <see cref="FineTuningJobRunnerOptions.Timeout"/>; it keeps running.</exception>
    public async IAsyncEnumerable<FineTuningJobProgress> FollowAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(jobId);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var started = _timeProvider.GetTimestamp();
        FineTuningJobStatus? previous = null;
        while (true)
        {
            FineTuningJob job;
            IReadOnlyList<FineTuningJobEvent> events;
            try
            {
                job = await _pipeline.ExecuteAsync(async token => await _client.GetJobAsync(jobId, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                events = await _pipeline.ExecuteAsync(async token => await NewEventsAsync(jobId, seen, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && _options.CancelJobOnCancellation)
            {
                await CancelQuietlyAsync(jobId).ConfigureAwait(false);
                throw;
            }

            foreach (var e in events)
            {
                seen.Add(e.Id);
            }

            yield return new FineTuningJobProgress(job, events, job.Status != previous);
            previous = job.Status;
            if (job.IsFinished)
            {
                yield break;
            }

            if (_options.Timeout is { } timeout && _timeProvider.GetElapsedTime(started) + _options.PollInterval > timeout)
            {
                throw new TimeoutException($"The fine-tuning job '{jobId}' has not finished within {timeout} (it is {job.RawStatus ?? job.Status.ToString()}); it keeps running at the provider: follow it again by its id, or raise AiEng:FineTuning:Jobs:Timeout.");
            }

            try
            {
                await Task.Delay(_options.PollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_options.CancelJobOnCancellation)
            {
                await CancelQuietlyAsync(jobId).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Follows a job until it finishes, reporting each poll to <paramref name="progress"/>, and returns it when it has succeeded.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="progress">Receives each poll's report; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Stops following (see <see cref="FollowAsync"/>).</param>
    /// <returns>The succeeded job; its <see cref="FineTuningJob.FineTunedModel"/> is the trained model's id.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is empty or whitespace.</exception>
    /// <exception cref="FineTuningJobException">The job failed (with the provider's error code and message) or was cancelled.</exception>
    /// <exception cref="TimeoutException">The job did not finish within <see cref="FineTuningJobRunnerOptions.Timeout"/>.</exception>
    public async Task<FineTuningJob> WaitForCompletionAsync(string jobId, IProgress<FineTuningJobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        FineTuningJob? last = null;
        await foreach (var report in FollowAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(report);
            last = report.Job;
        }

        return last switch
        {
            { Status: FineTuningJobStatus.Succeeded } => last,
            { Status: FineTuningJobStatus.Failed } failed => throw new FineTuningJobException(
                $"The fine-tuning job '{failed.Id}' of '{failed.BaseModel}' failed: {failed.Error?.ToString() ?? "the provider gave no reason"}. Fix the cause (for a training-file error, check the data with FineTuningValidator) and submit a new job.")
            {
                JobId = failed.Id,
                Status = failed.Status,
                ErrorCode = failed.Error?.Code,
                ProviderMessage = failed.Error?.Message,
            },
            { } other => throw new FineTuningJobException($"The fine-tuning job '{other.Id}' of '{other.BaseModel}' was cancelled before it finished; no model was produced.")
            {
                JobId = other.Id,
                Status = other.Status,
            },
            null => throw new InvalidOperationException("Following the job produced no report."),
        };
    }

    /// <summary>Reads the events newer than the ones seen, stopping at the first seen one, and returns them oldest first.</summary>
    private async Task<IReadOnlyList<FineTuningJobEvent>> NewEventsAsync(string jobId, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var fresh = new List<FineTuningJobEvent>();
        await foreach (var e in _client.ListEventsAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            if (seen.Contains(e.Id) || fresh.Count == EventsPerPoll)
            {
                break;
            }

            fresh.Add(e);
        }

        fresh.Reverse();
        return fresh;
    }

    private async Task CancelQuietlyAsync(string jobId)
    {
        try
        {
            // The caller's token is cancelled already; the cancellation request gets a short budget of its own.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _timeProvider);
            await _client.CancelJobAsync(jobId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FineTuningJobException or OperationCanceledException || ModelFailures.IsTransient(e))
        {
            // Best effort: the job may have finished meanwhile, or the provider be unreachable; the caller's cancellation stands.
        }
    }

    private static ResiliencePipeline CreateDefaultPipeline(TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ModelFailures.ShouldHandle(args.Outcome, args.Context),
                MaxRetryAttempts = 5,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(2),
                UseJitter = true,
                DelayGenerator = args => new(ModelFailures.TryGetRetryAfter(args.Outcome.Exception, timeProvider.GetUtcNow(), out var wait) ? wait : null),
            })
            .Build();
}
