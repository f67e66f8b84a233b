using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// The passages the answer was generated from (the retrieved contexts of a RAG pipeline), in rank order, which the
/// faithfulness, context precision and context recall judges read.
/// </summary>
public sealed class GroundingContext : EvaluationContext
{
    /// <summary>The name under which this context is reported: <c>Contexts</c>.</summary>
    public const string ContextName = "Contexts";

    /// <summary>Initializes a new instance of the <see cref="GroundingContext"/> class.</summary>
    /// <param name="passages">The passages, best first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="passages"/> is <see langword="null"/>.</exception>
    public GroundingContext(IEnumerable<string> passages)
        : this(Throw.IfNull(passages).ToArray())
    {
    }

    private GroundingContext(string[] passages)
        : base(ContextName, passages.Select(static p => (AIContent)new TextContent(p)).ToArray())
    {
        Passages = passages;
    }

    /// <summary>Gets the passages, best first.</summary>
    public IReadOnlyList<string> Passages { get; }
}
