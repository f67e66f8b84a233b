namespace AiEng.Evaluation;

/// <summary>
/// The system under evaluation: produces the output for one case. Build one from a chat client or a retriever with
/// <see cref="EvaluationTargets"/>, or write a delegate around any pipeline (for example a RAG pipeline that returns the
/// answer and the passages it used).
/// </summary>
/// <param name="evaluationCase">The case.</param>
/// <param name="cancellationToken">Cancels the call.</param>
/// <returns>The output.</returns>
public delegate ValueTask<EvaluationTargetOutput> EvaluationTarget(EvaluationCase evaluationCase, CancellationToken cancellationToken);
