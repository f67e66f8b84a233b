using AiEng.Prompts;

namespace AiEng.FineTuning;

/// <summary>Where a data set came from: how it was built, from which prompt and teacher, and what building it cost.</summary>
public sealed class FineTuningProvenance
{
    /// <summary>Gets how the data set was built, for example <c>prompt</c>, <c>evaluation-run</c> or <c>distillation</c>.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>Gets the prompt the examples were rendered through, or <see langword="null"/>.</summary>
    public PromptId? Prompt { get; init; }

    /// <summary>Gets the teacher model that wrote the answers (distillation), or <see langword="null"/>.</summary>
    public string? TeacherModel { get; init; }

    /// <summary>Gets the input tokens spent building the data set (teacher and judge calls), or <see langword="null"/> when none were reported.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Gets the output tokens spent building the data set, or <see langword="null"/> when none were reported.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Gets the cost of building the data set from the price table, or <see langword="null"/> when the model has no price.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Gets when the data set was built.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets further facts about the build (for example counts of inputs rejected and why).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
