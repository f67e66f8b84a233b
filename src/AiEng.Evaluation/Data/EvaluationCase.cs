using AiEng.Shared;

namespace AiEng.Evaluation;

/// <summary>One case of an evaluation data set: the input, and what the evaluators compare the output with.</summary>
public sealed class EvaluationCase
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationCase"/> class.</summary>
    /// <param name="id">The case id, unique in its data set.</param>
    /// <param name="input">The input (the user's question or instruction).</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="input"/> is null, empty or white space.</exception>
    public EvaluationCase(string id, string input)
    {
        Id = Throw.IfNullOrWhitespace(id);
        Input = Throw.IfNullOrWhitespace(input);
    }

    /// <summary>Gets the case id, unique in its data set.</summary>
    public string Id { get; }

    /// <summary>Gets the input (the user's question or instruction).</summary>
    public string Input { get; }

    /// <summary>Gets the expected answer, or <see langword="null"/> when the case has none (reference-based metrics then report a diagnostic).</summary>
    public string? Reference { get; init; }

    /// <summary>Gets the contexts that come with the case (for example gold passages), or an empty list.</summary>
    public IReadOnlyList<string> Contexts { get; init; } = [];

    /// <summary>Gets relevance grades by document id for retrieval metrics, or <see langword="null"/> when the case has none.</summary>
    public IReadOnlyDictionary<string, int>? Relevance { get; init; }

    /// <summary>Gets free-form metadata (for example a category used to slice results).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
