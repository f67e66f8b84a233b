namespace AiEng.FineTuning;

/// <summary>The hyperparameters of a fine-tuning job; a <see langword="null"/> value lets the provider choose (<c>auto</c>).</summary>
public sealed class FineTuningHyperparameters
{
    /// <summary>Gets the number of passes over the training data, or <see langword="null"/> for the provider's choice.</summary>
    public int? EpochCount { get; init; }

    /// <summary>Gets the number of examples per training step, or <see langword="null"/> for the provider's choice.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Gets the multiplier of the provider's base learning rate, or <see langword="null"/> for the provider's choice.</summary>
    public double? LearningRateMultiplier { get; init; }

    /// <summary>Returns the values, <c>auto</c> for unset ones.</summary>
    /// <returns>For example <c>epochs=3, batch=auto, lr×=auto</c>.</returns>
    public override string ToString() =>
        FormattableString.Invariant($"epochs={EpochCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "auto"}, batch={BatchSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "auto"}, lr×={LearningRateMultiplier?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "auto"}");

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is not positive.</exception>
    internal void Validate()
    {
        if (EpochCount is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(EpochCount), EpochCount, "The number of epochs must be at least 1, or null for the provider's choice.");
        }

        if (BatchSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1, or null for the provider's choice.");
        }

        if (LearningRateMultiplier is { } rate && (!double.IsFinite(rate) || rate <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRateMultiplier), LearningRateMultiplier, "The learning-rate multiplier must be a positive number, or null for the provider's choice.");
        }
    }
}
