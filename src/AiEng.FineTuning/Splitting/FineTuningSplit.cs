namespace AiEng.FineTuning;

/// <summary>A data set split into training and validation parts.</summary>
/// <typeparam name="T">The example type.</typeparam>
public sealed class FineTuningSplit<T>
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningSplit{T}"/> class.</summary>
    /// <param name="training">The training part, in input order.</param>
    /// <param name="validation">The validation part, in input order.</param>
    public FineTuningSplit(IReadOnlyList<T> training, IReadOnlyList<T> validation)
    {
        Training = training;
        Validation = validation;
    }

    /// <summary>Gets the training part, in input order.</summary>
    public IReadOnlyList<T> Training { get; }

    /// <summary>Gets the validation part, in input order.</summary>
    public IReadOnlyList<T> Validation { get; }
}
