using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>Options of a fine-tuning job, passed to <see cref="IFineTuningClient.CreateJobAsync"/>.</summary>
public sealed class FineTuningJobOptions
{
    /// <summary>Gets or sets the hyperparameters; <see langword="null"/> lets the provider choose all of them.</summary>
    public FineTuningHyperparameters? Hyperparameters { get; set; }

    /// <summary>Gets or sets the seed, so that a job can be repeated; <see langword="null"/> lets the provider choose one.</summary>
    public int? Seed { get; set; }

    /// <summary>Gets or sets a suffix of the fine-tuned model's name (OpenAI allows up to 64 characters), for example <c>tickets</c>.</summary>
    public string? Suffix { get; set; }

    /// <summary>Gets or sets the id of an uploaded validation file, whose loss the provider reports during training.</summary>
    public string? ValidationFileId { get; set; }

    /// <summary>Creates a copy, so that a caller's later changes do not reach a job being created.</summary>
    /// <returns>The copy.</returns>
    public FineTuningJobOptions Clone() => new()
    {
        Hyperparameters = Hyperparameters,
        Seed = Seed,
        Suffix = Suffix,
        ValidationFileId = ValidationFileId,
    };

    /// <summary>Checks the options; implementations of <see cref="IFineTuningClient"/> call it before sending anything.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is not positive.</exception>
    /// <exception cref="ArgumentException"><see cref="Suffix"/> or <see cref="ValidationFileId"/> is empty or whitespace.</exception>
    public void Validate()
    {
        Hyperparameters?.Validate();
        if (Suffix is not null)
        {
            Throw.IfNullOrWhitespace(Suffix);
        }

        if (ValidationFileId is not null)
        {
            Throw.IfNullOrWhitespace(ValidationFileId);
        }
    }
}
