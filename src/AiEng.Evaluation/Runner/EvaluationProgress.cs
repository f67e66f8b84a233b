namespace AiEng.Evaluation;

/// <summary>Progress of a run, reported after each finished case.</summary>
/// <param name="Completed">Cases finished so far, including those resumed from an earlier run.</param>
/// <param name="Total">Cases in the data set.</param>
/// <param name="Resumed">Cases taken from an earlier, interrupted run without redoing them.</param>
/// <param name="Failed">Cases whose target threw.</param>
public readonly record struct EvaluationProgress(int Completed, int Total, int Resumed, int Failed);
