#pragma warning disable OPENAI001 // The OpenAI client's fine-tuning API is experimental; AiEng isolates it behind IFineTuningClient.

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AiEng.FineTuning;
using AiEng.Shared;
using OpenAI;
using OpenAI.Files;
using OpenAI.FineTuning;
using SdkJob = OpenAI.FineTuning.FineTuningJob;

namespace AiEng.OpenAI;

/// <summary>
/// <see cref="IFineTuningClient"/> on the official OpenAI client's <see cref="OpenAIFileClient"/> (uploads with purpose
/// <c>fine-tune</c>) and <see cref="FineTuningClient"/> (jobs, events, checkpoints, cancellation), for OpenAI, Azure
/// OpenAI's v1 API and any endpoint that implements <c>/v1/files</c> and <c>/v1/fine_tuning/jobs</c>.
/// </summary>
/// <remarks>
/// <para>
/// The client's own retries are off (as for chat and embeddings): each call is one request, and
/// <c>FineTuningJobRunner</c> retries the idempotent ones (get, events) through a Polly pipeline. A refusal (any 4xx but
/// 408 and 429) becomes a <see cref="FineTuningJobException"/> with the provider's code and message; transient failures
/// (429, 5xx, connection failures) stay the client's <see cref="ClientResultException"/>, which AiEng's
/// <c>ModelFailures</c> classifies.
/// </para>
/// <para>
/// Events, checkpoints and cancellation are methods of the client's job object, which only a request for the job yields;
/// the client keeps the last object per job id from <see cref="CreateJobAsync"/> and <see cref="GetJobAsync"/>, and
/// fetches the job first when it has none.
/// </para>
/// </remarks>
internal sealed class OpenAIFineTuningClient : IFineTuningClient
{
    private readonly OpenAIFileClient _files;
    private readonly FineTuningClient _fineTuning;
    /// <summary>The SDK job objects kept for cancelling and reading events without fetching the job again: at most this many.</summary>
    internal const int MaxRememberedJobs = 256;

    private readonly ConcurrentDictionary<string, SdkJob> _jobs = new(StringComparer.Ordinal);

    /// <summary>Gets how many job objects are kept (for tests of the bound).</summary>
    internal int RememberedJobs => _jobs.Count;

    /// <summary>Initializes a new instance of the <see cref="OpenAIFineTuningClient"/> class.</summary>
    /// <param name="client">The OpenAI client whose file and fine-tuning clients are used.</param>
    public OpenAIFineTuningClient(OpenAIClient client)
    {
        Throw.IfNull(client);
        _files = client.GetOpenAIFileClient();
        _fineTuning = client.GetFineTuningClient();
    }

    /// <inheritdoc />
    public async Task<FineTuningFile> UploadFileAsync(Stream content, string fileName, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(content);
        Throw.IfNullOrWhitespace(fileName);
        try
        {
            OpenAIFile file = await _files.UploadFileAsync(content, fileName, FileUploadPurpose.FineTune, cancellationToken).ConfigureAwait(false);
            return new FineTuningFile(file.Id, file.Filename ?? fileName)
            {
                SizeInBytes = file.SizeInBytes,
                CreatedAt = file.CreatedAt,
                RawRepresentation = file,
            };
        }
        catch (ClientResultException e) when (IsRefusal(e))
        {
            throw Refused(
                e,
                $"The upload of '{fileName}' for fine-tuning was refused",
                "Check the file with FineTuningValidator and export it with FineTuningJsonl: OpenAI expects one JSON object per line with a 'messages' array (or 'input', 'preferred_output' and 'non_preferred_output' for preference data).",
                fileName: fileName);
        }
    }

    /// <inheritdoc />
    public async Task<AiEng.FineTuning.FineTuningJob> CreateJobAsync(string baseModel, string trainingFileId, FineTuningJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(baseModel);
        Throw.IfNullOrWhitespace(trainingFileId);
        var copy = options?.Clone();
        copy?.Validate();
        var sdkOptions = new FineTuningOptions { Suffix = copy?.Suffix, Seed = copy?.Seed, ValidationFile = copy?.ValidationFileId };
        if (copy?.Hyperparameters is { } h && (h.EpochCount is not null || h.BatchSize is not null || h.LearningRateMultiplier is not null))
        {
            sdkOptions.TrainingMethod = FineTuningTrainingMethod.CreateSupervised(
                h.BatchSize is { } batch ? HyperparameterBatchSize.CreateSize(batch) : HyperparameterBatchSize.CreateAuto(),
                h.EpochCount is { } epochs ? HyperparameterEpochCount.CreateEpochCount(epochs) : HyperparameterEpochCount.CreateAuto(),
                h.LearningRateMultiplier is { } rate ? HyperparameterLearningRate.CreateMultiplier(rate) : HyperparameterLearningRate.CreateAuto());
        }

        try
        {
            SdkJob job = await _fineTuning.FineTuneAsync(baseModel.Trim(), trainingFileId.Trim(), waitUntilCompleted: false, sdkOptions, cancellationToken).ConfigureAwait(false);
            return Remember(job);
        }
        catch (ClientResultException e) when (IsRefusal(e))
        {
            throw Refused(e, $"Creating a fine-tuning job of '{baseModel}' on the file '{trainingFileId}' was refused", "Check that the model can be fine-tuned by your account and that the file was uploaded with purpose 'fine-tune'.");
        }
    }

    /// <inheritdoc />
    public async Task<AiEng.FineTuning.FineTuningJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(jobId);
        return Remember(await FetchAsync(jobId, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AiEng.FineTuning.FineTuningJob> ListJobsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pages = _fineTuning.GetJobsAsync(new FineTuningJobCollectionOptions(), cancellationToken);
        await foreach (var page in pages.GetRawPagesAsync().ConfigureAwait(false))
        {
            var content = page.GetRawResponse().Content;
            foreach (var job in OpenAIFineTuningJson.ReadPage(content, item => OpenAIFineTuningJson.ReadJob(item, raw: null)))
            {
                yield return job;
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FineTuningJobEvent> ListEventsAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(jobId);
        var job = await JobObjectAsync(jobId, cancellationToken).ConfigureAwait(false);
        await foreach (var page in job.GetEventsAsync(null, null, Request(cancellationToken)).GetRawPagesAsync().ConfigureAwait(false))
        {
            foreach (var item in OpenAIFineTuningJson.ReadPage(page.GetRawResponse().Content, OpenAIFineTuningJson.ReadEvent))
            {
                yield return item;
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AiEng.FineTuning.FineTuningCheckpoint> ListCheckpointsAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(jobId);
        var job = await JobObjectAsync(jobId, cancellationToken).ConfigureAwait(false);
        await foreach (var page in job.GetCheckpointsAsync(null, null, Request(cancellationToken)).GetRawPagesAsync().ConfigureAwait(false))
        {
            foreach (var item in OpenAIFineTuningJson.ReadPage(page.GetRawResponse().Content, OpenAIFineTuningJson.ReadCheckpoint))
            {
                yield return item;
            }
        }
    }

    /// <inheritdoc />
    public async Task<AiEng.FineTuning.FineTuningJob> CancelJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(jobId);
        var job = await JobObjectAsync(jobId, cancellationToken).ConfigureAwait(false);
        try
        {
            ClientResult result = await job.CancelAsync(Request(cancellationToken)).ConfigureAwait(false);
            return OpenAIFineTuningJson.ReadJob(result.GetRawResponse().Content, result);
        }
        catch (ClientResultException e) when (IsRefusal(e))
        {
            throw Refused(e, $"Cancelling the fine-tuning job '{jobId}' was refused", "Only a job that has not finished can be cancelled.", jobId: jobId);
        }
    }

    private static RequestOptions Request(CancellationToken cancellationToken) => new() { CancellationToken = cancellationToken };

    /// <summary>Gets a refusal that retrying cannot fix: a 4xx other than 408 (timeout) and 429 (rate limit).</summary>
    private static bool IsRefusal(ClientResultException e) => e.Status is >= 400 and < 500 and not 408 and not 429;

    private static FineTuningJobException Refused(ClientResultException e, string what, string hint, string? fileName = null, string? jobId = null)
    {
        var (code, message, parameter) = OpenAIFineTuningJson.ReadError(e.GetRawResponse()?.Content);
        var provider = message ?? e.Message;
        var codeText = code is null ? string.Empty : $", {code}";
        var parameterText = parameter is null ? string.Empty : $" (parameter '{parameter}')";
        return new FineTuningJobException($"{what} (HTTP {e.Status}{codeText}){parameterText}: {provider} {hint}", e)
        {
            FileName = fileName,
            JobId = jobId,
            ErrorCode = code,
            ProviderMessage = provider,
            StatusCode = e.Status,
        };
    }

    private async Task<SdkJob> FetchAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            return await _fineTuning.GetJobAsync(jobId.Trim(), cancellationToken).ConfigureAwait(false);
        }
        catch (ClientResultException e) when (IsRefusal(e))
        {
            throw Refused(e, $"The fine-tuning job '{jobId}' could not be read", "Check the job id (ListJobsAsync lists the account's jobs) and that the API key belongs to the job's organization and project.", jobId: jobId);
        }
    }

    private async Task<SdkJob> JobObjectAsync(string jobId, CancellationToken cancellationToken)
    {
        if (_jobs.TryGetValue(jobId.Trim(), out var job))
        {
            return job;
        }

        var fetched = await FetchAsync(jobId, cancellationToken).ConfigureAwait(false);
        Remember(fetched);
        return fetched;
    }

    private AiEng.FineTuning.FineTuningJob Remember(SdkJob job)
    {
        // A process that follows many jobs would keep them all: past the bound the kept objects are dropped, and a job
        // needed again is fetched again (one GET).
        if (_jobs.Count >= MaxRememberedJobs && !_jobs.ContainsKey(job.JobId))
        {
            _jobs.Clear();
        }

        _jobs[job.JobId] = job;
        return OpenAIFineTuningJson.ReadJob(job.GetRawResponse().Content, job);
    }
}
