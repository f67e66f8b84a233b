using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Evaluation;

/// <summary>What a target produced for one case.</summary>
public sealed class EvaluationTargetOutput
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationTargetOutput"/> class.</summary>
    /// <param name="response">The response to evaluate.</param>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    public EvaluationTargetOutput(ChatResponse response)
    {
        Response = Throw.IfNull(response);
    }

    /// <summary>Gets the response to evaluate (its usage, when reported, is recorded as the case's tokens).</summary>
    public ChatResponse Response { get; }

    /// <summary>Gets the passages the answer was grounded on (for faithfulness and context metrics), if any.</summary>
    public IReadOnlyList<string>? Contexts { get; init; }

    /// <summary>Gets the retrieved document ids, best first (for retrieval metrics against the case's relevance), if any.</summary>
    public IReadOnlyList<string>? RetrievedIds { get; init; }
}
