using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>A checkpoint of a fine-tuning job: a model saved during training, usable as a chat model as the final one is.</summary>
public sealed class FineTuningCheckpoint
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningCheckpoint"/> class.</summary>
    /// <param name="id">The provider's checkpoint id.</param>
    /// <param name="jobId">The job's id.</param>
    /// <param name="model">The checkpoint's model id, for example <c>ft:gpt-4o-mini:acme:tickets:AbC123:ckpt-step-88</c>.</param>
    /// <param name="stepNumber">The training step it was saved at.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/>, <paramref name="jobId"/> or <paramref name="model"/> is <see langword="null"/>, empty or whitespace.</exception>
    public FineTuningCheckpoint(string id, string jobId, string model, int stepNumber)
    {
        Id = Throw.IfNullOrWhitespace(id);
        JobId = Throw.IfNullOrWhitespace(jobId);
        Model = Throw.IfNullOrWhitespace(model);
        StepNumber = stepNumber;
    }

    /// <summary>Gets the provider's checkpoint id.</summary>
    public string Id { get; }

    /// <summary>Gets the job's id.</summary>
    public string JobId { get; }

    /// <summary>Gets the checkpoint's model id; name it as a chat model's <c>Model</c> to use it.</summary>
    public string Model { get; }

    /// <summary>Gets the training step it was saved at.</summary>
    public int StepNumber { get; }

    /// <summary>Gets when it was saved, if reported.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets the training loss at this step, if reported.</summary>
    public double? TrainingLoss { get; init; }

    /// <summary>Gets the mean token accuracy on the training batch at this step, if reported.</summary>
    public double? TrainingMeanTokenAccuracy { get; init; }

    /// <summary>Gets the loss on the validation file at this step, if reported.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>Gets the mean token accuracy on the validation file at this step, if reported.</summary>
    public double? ValidationMeanTokenAccuracy { get; init; }

    /// <summary>Returns the step and model id.</summary>
    /// <returns>For example <c>step 88: ft:gpt-4o-mini:acme:tickets:AbC123:ckpt-step-88</c>.</returns>
    public override string ToString() => FormattableString.Invariant($"step {StepNumber}: {Model}");
}
