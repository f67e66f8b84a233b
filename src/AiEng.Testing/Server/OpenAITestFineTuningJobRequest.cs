using System.Text.Json;

namespace AiEng.Testing;

/// <summary>A request to create a fine-tuning job received by <see cref="OpenAITestServer"/>, as passed to its fine-tuning script.</summary>
public sealed class OpenAITestFineTuningJobRequest
{
    /// <summary>Initializes a new instance of the <see cref="OpenAITestFineTuningJobRequest"/> class.</summary>
    /// <param name="model">The base model (<c>model</c>).</param>
    /// <param name="trainingFileId">The training file's id (<c>training_file</c>).</param>
    /// <param name="body">The whole JSON request body.</param>
    public OpenAITestFineTuningJobRequest(string model, string trainingFileId, JsonElement body)
    {
        Model = model;
        TrainingFileId = trainingFileId;
        Body = body;
    }

    /// <summary>Gets the base model (<c>model</c>).</summary>
    public string Model { get; }

    /// <summary>Gets the training file's id (<c>training_file</c>).</summary>
    public string TrainingFileId { get; }

    /// <summary>Gets the validation file's id (<c>validation_file</c>), if sent.</summary>
    public string? ValidationFileId { get; init; }

    /// <summary>Gets the suffix of the fine-tuned model's name (<c>suffix</c>), if sent.</summary>
    public string? Suffix { get; init; }

    /// <summary>Gets the seed (<c>seed</c>), if sent.</summary>
    public int? Seed { get; init; }

    /// <summary>Gets the number of epochs (<c>n_epochs</c>, under <c>method.supervised.hyperparameters</c> or the older <c>hyperparameters</c>), or <see langword="null"/> for <c>auto</c>.</summary>
    public int? EpochCount { get; init; }

    /// <summary>Gets the batch size (<c>batch_size</c>), or <see langword="null"/> for <c>auto</c>.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Gets the learning-rate multiplier (<c>learning_rate_multiplier</c>), or <see langword="null"/> for <c>auto</c>.</summary>
    public double? LearningRateMultiplier { get; init; }

    /// <summary>Gets the whole JSON request body, for fields this type does not surface (integrations, metadata...).</summary>
    public JsonElement Body { get; }
}
