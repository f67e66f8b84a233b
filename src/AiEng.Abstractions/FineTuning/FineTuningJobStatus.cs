namespace AiEng.FineTuning;

/// <summary>The status of a fine-tuning job.</summary>
public enum FineTuningJobStatus
{
    /// <summary>A status this version does not know; see the job's <see cref="FineTuningJob.RawStatus"/>.</summary>
    Unknown,

    /// <summary>The provider is checking the training (and validation) file.</summary>
    ValidatingFiles,

    /// <summary>Waiting for training capacity.</summary>
    Queued,

    /// <summary>Training.</summary>
    Running,

    /// <summary>Finished: <see cref="FineTuningJob.FineTunedModel"/> is the trained model's id.</summary>
    Succeeded,

    /// <summary>Finished without a model: <see cref="FineTuningJob.Error"/> says why.</summary>
    Failed,

    /// <summary>Cancelled before it finished.</summary>
    Cancelled,
}
