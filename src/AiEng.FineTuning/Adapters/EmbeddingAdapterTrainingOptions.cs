using System.ComponentModel.DataAnnotations;

namespace AiEng.FineTuning;

/// <summary>Settings of <see cref="EmbeddingAdapterTrainer"/>: the contrastive loss, the optimiser and early stopping.</summary>
/// <remarks>
/// The defaults were chosen on SciFact's train split (a validation slice of its train queries), for all-MiniLM-L6-v2;
/// see docs/fine-tuning.md. They are checked when training starts; an invalid value fails with a message naming it.
/// </remarks>
public sealed class EmbeddingAdapterTrainingOptions
{
    /// <summary>Gets or sets the number of passes over the training examples; default 30. Early stopping may end training sooner.</summary>
    [Range(1, 10_000)]
    public int Epochs { get; set; } = 30;

    /// <summary>Gets or sets the number of examples per mini-batch, whose positives are each other's in-batch negatives; default 32.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Gets or sets the Adam learning rate; default 0.0005.</summary>
    [Range(1e-7, 1.0)]
    public double LearningRate { get; set; } = 5e-4;

    /// <summary>
    /// Gets or sets the softmax temperature of the InfoNCE loss (similarities are divided by it); default 0.05. Lower values
    /// sharpen the loss on the hardest negatives.
    /// </summary>
    [Range(1e-4, 10.0)]
    public double Temperature { get; set; } = 0.05;

    /// <summary>
    /// Gets or sets the strength of the L2 penalty that pulls the adapter toward the identity (a linear map toward <c>I</c>,
    /// a residual correction toward zero); default 0.0001. Raise it when there are few examples.
    /// </summary>
    [Range(0.0, 1000.0)]
    public double IdentityRegularization { get; set; } = 1e-4;

    /// <summary>
    /// Gets or sets the share of the example groups (queries) held out to choose the epoch to keep; default 0.1. 0 trains on
    /// every example for <see cref="Epochs"/> epochs and keeps the last.
    /// </summary>
    [Range(0.0, 0.5)]
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>Gets or sets the number of epochs without a better validation loss after which training stops; default 5.</summary>
    [Range(1, 10_000)]
    public int Patience { get; set; } = 5;

    /// <summary>Gets or sets the seed of the validation split and of the example order, so that training is reproducible; default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Returns a copy, so that training never sees a later change of the caller's options.</summary>
    internal EmbeddingAdapterTrainingOptions Clone() => (EmbeddingAdapterTrainingOptions)MemberwiseClone();
}
