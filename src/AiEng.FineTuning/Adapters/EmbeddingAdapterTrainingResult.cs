namespace AiEng.FineTuning;

/// <summary>What <see cref="EmbeddingAdapterTrainer.Train"/> did: how long it trained and the losses it saw.</summary>
public sealed class EmbeddingAdapterTrainingResult
{
    internal EmbeddingAdapterTrainingResult(
        int trainingExamples, int validationExamples, int epochsRun, int bestEpoch, double initialValidationLoss, double bestValidationLoss,
        IReadOnlyList<double> trainingLosses, IReadOnlyList<double> validationLosses, TimeSpan elapsed)
    {
        TrainingExamples = trainingExamples;
        ValidationExamples = validationExamples;
        EpochsRun = epochsRun;
        BestEpoch = bestEpoch;
        InitialValidationLoss = initialValidationLoss;
        BestValidationLoss = bestValidationLoss;
        TrainingLosses = trainingLosses;
        ValidationLosses = validationLosses;
        Elapsed = elapsed;
    }

    /// <summary>Gets the number of examples trained on.</summary>
    public int TrainingExamples { get; }

    /// <summary>Gets the number of examples held out for early stopping (0 when <see cref="EmbeddingAdapterTrainingOptions.ValidationFraction"/> is 0).</summary>
    public int ValidationExamples { get; }

    /// <summary>Gets the number of epochs run before training ended.</summary>
    public int EpochsRun { get; }

    /// <summary>Gets the epoch (1-based) whose parameters the adapter kept; 0 when no epoch improved on the untrained adapter, which is then kept as it was.</summary>
    public int BestEpoch { get; }

    /// <summary>Gets the validation loss of the adapter before training, or <see cref="double.NaN"/> without validation examples.</summary>
    public double InitialValidationLoss { get; }

    /// <summary>Gets the validation loss of the kept parameters, or <see cref="double.NaN"/> without validation examples.</summary>
    public double BestValidationLoss { get; }

    /// <summary>Gets the mean training loss (InfoNCE plus the identity penalty) of each epoch.</summary>
    public IReadOnlyList<double> TrainingLosses { get; }

    /// <summary>Gets the validation loss after each epoch (empty without validation examples).</summary>
    public IReadOnlyList<double> ValidationLosses { get; }

    /// <summary>Gets the wall-clock time training took.</summary>
    public TimeSpan Elapsed { get; }
}
