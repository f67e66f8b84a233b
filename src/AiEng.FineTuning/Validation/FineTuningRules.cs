namespace AiEng.FineTuning;

/// <summary>The names of the rules <see cref="FineTuningValidator"/> checks, as they appear in <see cref="FineTuningIssue.Rule"/>.</summary>
public static class FineTuningRules
{
    /// <summary>A message has a role the format does not know.</summary>
    public const string Role = "role";

    /// <summary>The messages are out of order (system first, then a user message, tool results right after their calls).</summary>
    public const string Order = "order";

    /// <summary>The example has no assistant message to learn from (or every one has weight 0).</summary>
    public const string NoTrainedMessage = "no-trained-message";

    /// <summary>A message has no content.</summary>
    public const string EmptyContent = "empty-content";

    /// <summary>A tool call or tool result is malformed (missing id or name, unanswered or unknown call).</summary>
    public const string ToolCall = "tool-call";

    /// <summary>A weight is on a message that is not an assistant message, or is not 0 or 1.</summary>
    public const string Weight = "weight";

    /// <summary>An example has more tokens than the context limit.</summary>
    public const string Tokens = "tokens";

    /// <summary>The set has fewer examples than the provider's minimum.</summary>
    public const string MinExamples = "min-examples";

    /// <summary>An example repeats an earlier one exactly (after normalising case and white space).</summary>
    public const string Duplicate = "duplicate";

    /// <summary>An example is nearly the same as an earlier one (word shingles or embeddings).</summary>
    public const string NearDuplicate = "near-duplicate";

    /// <summary>A validation example is the same as, or nearly the same as, a training example.</summary>
    public const string Leakage = "leakage";

    /// <summary>A preference pair is malformed: its input does not end with a user message, or its two answers are the same.</summary>
    public const string Preference = "preference";
}
