using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>A fine-tuning job as the provider last reported it.</summary>
public sealed class FineTuningJob
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningJob"/> class.</summary>
    /// <param name="id">The provider's job id, for example <c>ftjob-abc123</c>.</param>
    /// <param name="baseModel">The model being fine-tuned.</param>
    /// <param name="status">The status.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="baseModel"/> is <see langword="null"/>, empty or whitespace.</exception>
    public FineTuningJob(string id, string baseModel, FineTuningJobStatus status)
    {
        Id = Throw.IfNullOrWhitespace(id);
        BaseModel = Throw.IfNullOrWhitespace(baseModel);
        Status = status;
    }

    /// <summary>Gets the provider's job id.</summary>
    public string Id { get; }

    /// <summary>Gets the model being fine-tuned.</summary>
    public string BaseModel { get; }

    /// <summary>Gets the status.</summary>
    public FineTuningJobStatus Status { get; }

    /// <summary>Gets the status as the provider spelled it, for example <c>validating_files</c>; useful when <see cref="Status"/> is <see cref="FineTuningJobStatus.Unknown"/>.</summary>
    public string? RawStatus { get; init; }

    /// <summary>Gets a value indicating whether the job has finished: succeeded, failed or cancelled.</summary>
    public bool IsFinished => Status is FineTuningJobStatus.Succeeded or FineTuningJobStatus.Failed or FineTuningJobStatus.Cancelled;

    /// <summary>
    /// Gets the id of the trained model once the job has succeeded, for example <c>ft:gpt-4o-mini-2024-07-18:acme:tickets:AbC123</c>:
    /// name it as a chat model's <c>Model</c> in configuration (<c>AiEng:ChatModels:&lt;name&gt;:Model</c>).
    /// </summary>
    public string? FineTunedModel { get; init; }

    /// <summary>Gets the training file's id.</summary>
    public string? TrainingFileId { get; init; }

    /// <summary>Gets the validation file's id, if one was given.</summary>
    public string? ValidationFileId { get; init; }

    /// <summary>Gets the hyperparameters (the values the provider chose for unset ones, once it has).</summary>
    public FineTuningHyperparameters? Hyperparameters { get; init; }

    /// <summary>Gets the seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Gets the suffix of the fine-tuned model's name, if one was given.</summary>
    public string? Suffix { get; init; }

    /// <summary>Gets when the job was created, if reported.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets when the job finished, if it has.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Gets when the provider expects the job to finish, if it said.</summary>
    public DateTimeOffset? EstimatedFinishAt { get; init; }

    /// <summary>Gets the number of billable tokens trained on, once known.</summary>
    public long? TrainedTokens { get; init; }

    /// <summary>Gets why the job failed, when <see cref="Status"/> is <see cref="FineTuningJobStatus.Failed"/>.</summary>
    public FineTuningJobError? Error { get; init; }

    /// <summary>Gets the provider's own object or response, for what this type does not surface.</summary>
    public object? RawRepresentation { get; init; }

    /// <summary>Returns the id, status and, when there is one, the model or the error.</summary>
    /// <returns>For example <c>ftjob-abc123 Succeeded ft:gpt-4o-mini:acme:tickets:AbC123</c>.</returns>
    public override string ToString() => Status switch
    {
        FineTuningJobStatus.Succeeded => $"{Id} {Status} {FineTunedModel}",
        FineTuningJobStatus.Failed => $"{Id} {Status} {Error}",
        _ => $"{Id} {Status}",
    };
}
