namespace AiEng.FineTuning;

/// <summary>The result of <see cref="TeacherDistiller.DistillAsync"/>: the data set kept, and every input that was not.</summary>
public sealed class DistillationResult
{
    /// <summary>Initializes a new instance of the <see cref="DistillationResult"/> class.</summary>
    /// <param name="dataSet">The kept examples, in input order, with the teacher, prompt, tokens and cost in its provenance.</param>
    /// <param name="rejected">The inputs not kept, in input order.</param>
    public DistillationResult(FineTuningDataSet dataSet, IReadOnlyList<DistillationRejection> rejected)
    {
        DataSet = dataSet;
        Rejected = rejected;
    }

    /// <summary>Gets the kept examples with their provenance.</summary>
    public FineTuningDataSet DataSet { get; }

    /// <summary>Gets the inputs not kept, in input order.</summary>
    public IReadOnlyList<DistillationRejection> Rejected { get; }
}
