using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>A set of chat fine-tuning examples with a record of where it came from.</summary>
public sealed class FineTuningDataSet
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningDataSet"/> class.</summary>
    /// <param name="examples">The examples; used as given, not copied.</param>
    /// <param name="provenance">How the examples were built.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public FineTuningDataSet(IList<FineTuningExample> examples, FineTuningProvenance provenance)
    {
        Examples = Throw.IfNull(examples);
        Provenance = Throw.IfNull(provenance);
    }

    /// <summary>Gets the examples.</summary>
    public IList<FineTuningExample> Examples { get; }

    /// <summary>Gets how the examples were built.</summary>
    public FineTuningProvenance Provenance { get; }
}
