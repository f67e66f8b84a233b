namespace AiEng.FineTuning;

/// <summary>The passages a teacher retriever's ranking labels for one unjudged query (<see cref="EmbeddingAdapterLabels.PseudoLabel"/>).</summary>
public sealed class EmbeddingAdapterPseudoLabel
{
    internal EmbeddingAdapterPseudoLabel(IReadOnlyList<string> positives, IReadOnlyList<string> hardNegatives)
    {
        Positives = positives;
        HardNegatives = hardNegatives;
    }

    /// <summary>Gets the ids of the passages taken as relevant (the teacher's top ones), best first.</summary>
    public IReadOnlyList<string> Positives { get; }

    /// <summary>Gets the ids of the passages taken as hard negatives (ranked lower by the teacher).</summary>
    public IReadOnlyList<string> HardNegatives { get; }
}
