namespace AiEng.FineTuning;

/// <summary>
/// A provider's fine-tuning service: upload a training file, create a job that trains a model on it, follow the job
/// (status, events, checkpoints) and cancel it. The id of the trained model (<see cref="FineTuningJob.FineTunedModel"/>)
/// is then named in configuration as any chat model, for example <c>AiEng:ChatModels:support:Model</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every call is one request to the provider; implementations do not retry. Following a job until it finishes, with
/// polling, retries of transient failures and progress reports, is <c>FineTuningJobRunner</c>'s work (package
/// <c>AiEng.FineTuning</c>). Create jobs only once per intent: creating is not idempotent, so it is never retried.
/// </para>
/// <para>
/// A provider's refusal (a malformed upload, an unknown model, a job that cannot be cancelled) surfaces as
/// <see cref="FineTuningJobException"/> with the provider's code and message; a job that fails while training is not an
/// exception of these calls but a job whose <see cref="FineTuningJob.Status"/> is <see cref="FineTuningJobStatus.Failed"/>
/// and whose <see cref="FineTuningJob.Error"/> says why.
/// </para>
/// </remarks>
public interface IFineTuningClient
{
    /// <summary>Uploads a training or validation file (JSONL) for fine-tuning.</summary>
    /// <param name="content">The file's content; read from its current position to the end, not disposed.</param>
    /// <param name="fileName">The file name the provider records, for example <c>tickets.train.jsonl</c>.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The uploaded file, with the id to name in <see cref="CreateJobAsync"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="fileName"/> is <see langword="null"/>, empty or whitespace.</exception>
    /// <exception cref="FineTuningJobException">The provider rejected the file (for example as malformed); the exception names the file and carries the provider's message.</exception>
    Task<FineTuningFile> UploadFileAsync(Stream content, string fileName, CancellationToken cancellationToken = default);

    /// <summary>Creates a fine-tuning job.</summary>
    /// <param name="baseModel">The model to fine-tune, for example <c>gpt-4o-mini-2024-07-18</c>.</param>
    /// <param name="trainingFileId">The id of an uploaded training file.</param>
    /// <param name="options">Hyperparameters, seed, suffix and validation file; <see langword="null"/> for the provider's defaults.</param>
    /// <param name="cancellationToken">Cancels the request (a job the provider already created keeps running).</param>
    /// <returns>The created job, usually <see cref="FineTuningJobStatus.ValidatingFiles"/> or <see cref="FineTuningJobStatus.Queued"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="baseModel"/> or <paramref name="trainingFileId"/> is <see langword="null"/>, empty or whitespace.</exception>
    /// <exception cref="FineTuningJobException">The provider refused to create the job.</exception>
    Task<FineTuningJob> CreateJobAsync(string baseModel, string trainingFileId, FineTuningJobOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Gets a job's current state.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The job.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is <see langword="null"/>, empty or whitespace.</exception>
    /// <exception cref="FineTuningJobException">The provider does not know the job.</exception>
    Task<FineTuningJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Lists the account's jobs, newest first, fetching pages as they are enumerated.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The jobs.</returns>
    IAsyncEnumerable<FineTuningJob> ListJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists a job's events, newest first, fetching pages as they are enumerated (stop enumerating at an event already seen).</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The events.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is <see langword="null"/>, empty or whitespace.</exception>
    IAsyncEnumerable<FineTuningJobEvent> ListEventsAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Lists a job's checkpoints (intermediate models, usable as chat models), newest first.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The checkpoints.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is <see langword="null"/>, empty or whitespace.</exception>
    IAsyncEnumerable<FineTuningCheckpoint> ListCheckpointsAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Cancels a job that has not finished.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The job after the cancellation, normally <see cref="FineTuningJobStatus.Cancelled"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is <see langword="null"/>, empty or whitespace.</exception>
    /// <exception cref="FineTuningJobException">The provider refused, for example because the job has already finished.</exception>
    Task<FineTuningJob> CancelJobAsync(string jobId, CancellationToken cancellationToken = default);
}
