using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// The expected answer (ground truth) of an evaluation case, which reference-based evaluators (exact match, token F1,
/// ROUGE-L, BLEU, embedding similarity, correctness and context recall judges) compare the response with.
/// </summary>
public sealed class ReferenceContext : EvaluationContext
{
    /// <summary>The name under which this context is reported: <c>Reference</c>.</summary>
    public const string ContextName = "Reference";

    /// <summary>Initializes a new instance of the <see cref="ReferenceContext"/> class.</summary>
    /// <param name="reference">The expected answer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reference"/> is <see langword="null"/>.</exception>
    public ReferenceContext(string reference)
        : base(ContextName, Throw.IfNull(reference))
    {
        Reference = reference;
    }

    /// <summary>Gets the expected answer.</summary>
    public string Reference { get; }
}
