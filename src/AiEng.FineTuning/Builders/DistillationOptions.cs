using AiEng.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.FineTuning;

/// <summary>Options for <see cref="TeacherDistiller"/>.</summary>
public sealed class DistillationOptions
{
    /// <summary>Gets the evaluators (deterministic checks or an LLM judge) every teacher answer must pass; empty keeps every answer.</summary>
    public IList<IEvaluator> Evaluators { get; } = [];

    /// <summary>Gets or sets the chat configuration handed to the evaluators (the judge's client), or <see langword="null"/>.</summary>
    public ChatConfiguration? JudgeConfiguration { get; set; }

    /// <summary>
    /// Gets or sets the rule that decides whether an answer passes, given the evaluators' result; <see langword="null"/> (the
    /// default) passes an answer when no metric's interpretation marks it as failed.
    /// </summary>
    public Func<EvaluationResult, bool>? Passes { get; set; }

    /// <summary>Gets or sets an embedding generator that removes near-duplicate answers; <see langword="null"/> (the default) keeps them.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? EmbeddingGenerator { get; set; }

    /// <summary>Gets or sets the cosine similarity of two examples' text at or above which the later one is dropped. Default 0.95.</summary>
    public double DuplicateSimilarity { get; set; } = 0.95;

    /// <summary>Gets or sets the most teacher calls at once. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets or sets the chat options of the teacher's calls, or <see langword="null"/> for the prompt's.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>Gets the prices per model id, to record what the teacher's answers cost.</summary>
    public IDictionary<string, ModelPrice> Prices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the clock for <see cref="FineTuningProvenance.CreatedAt"/>; <see langword="null"/> for the system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
