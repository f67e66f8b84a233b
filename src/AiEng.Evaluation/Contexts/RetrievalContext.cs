using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// What a retriever returned for an evaluation case (document ids, best first) together with the relevance judgements
/// (qrels) of the case, which the retrieval evaluator scores with <see cref="RetrievalMetrics"/>.
/// </summary>
public sealed class RetrievalContext : EvaluationContext
{
    /// <summary>The name under which this context is reported: <c>Retrieval</c>.</summary>
    public const string ContextName = "Retrieval";

    /// <summary>Initializes a new instance of the <see cref="RetrievalContext"/> class.</summary>
    /// <param name="rankedIds">The retrieved document ids, best first; each id at most once.</param>
    /// <param name="relevance">Relevance grades by document id; a grade of 1 or more is relevant.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rankedIds"/> or <paramref name="relevance"/> is <see langword="null"/>.</exception>
    public RetrievalContext(IEnumerable<string> rankedIds, IReadOnlyDictionary<string, int> relevance)
        : base(ContextName, string.Join(", ", Throw.IfNull(rankedIds)))
    {
        RankedIds = rankedIds.ToArray();
        Relevance = new Dictionary<string, int>(Throw.IfNull(relevance), StringComparer.Ordinal);
    }

    /// <summary>Gets the retrieved document ids, best first.</summary>
    public IReadOnlyList<string> RankedIds { get; }

    /// <summary>Gets the relevance grades by document id.</summary>
    public IReadOnlyDictionary<string, int> Relevance { get; }
}
