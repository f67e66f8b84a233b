using System.Globalization;

namespace AiEng.FineTuning;

/// <summary>One problem found in training data: which rule, which set and example, which field, and what to do.</summary>
public sealed class FineTuningIssue
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningIssue"/> class.</summary>
    /// <param name="severity">How serious the problem is.</param>
    /// <param name="rule">The rule that found it (one of the <see cref="FineTuningRules"/> names).</param>
    /// <param name="set">The set it is in: <c>training</c> or <c>validation</c>.</param>
    /// <param name="exampleIndex">The 0-based index of the example in its set, or -1 when the problem is the set as a whole.</param>
    /// <param name="exampleId">The example's <see cref="FineTuningExample.Id"/>, if any.</param>
    /// <param name="field">The field as a JSON path in the OpenAI format (for example <c>messages[2].content</c>), or <see langword="null"/>.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    public FineTuningIssue(FineTuningIssueSeverity severity, string rule, string set, int exampleIndex, string? exampleId, string? field, string message)
    {
        Severity = severity;
        Rule = rule;
        Set = set;
        ExampleIndex = exampleIndex;
        ExampleId = exampleId;
        Field = field;
        Message = message;
    }

    /// <summary>Gets how serious the problem is.</summary>
    public FineTuningIssueSeverity Severity { get; }

    /// <summary>Gets the rule that found the problem (one of the <see cref="FineTuningRules"/> names).</summary>
    public string Rule { get; }

    /// <summary>Gets the set the example is in: <c>training</c> or <c>validation</c>.</summary>
    public string Set { get; }

    /// <summary>Gets the 0-based index of the example in its set, or -1 when the problem is the set as a whole.</summary>
    public int ExampleIndex { get; }

    /// <summary>Gets the example's id, if any.</summary>
    public string? ExampleId { get; }

    /// <summary>Gets the field as a JSON path in the OpenAI format, or <see langword="null"/>.</summary>
    public string? Field { get; }

    /// <summary>Gets what is wrong and how to fix it.</summary>
    public string Message { get; }

    /// <summary>Formats the issue as <c>error [rule] training #3 (id) messages[1].content: message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        string where = ExampleIndex < 0 ? Set : string.Create(CultureInfo.InvariantCulture, $"{Set} #{ExampleIndex}");
        if (ExampleId is not null)
        {
            where += $" ({ExampleId})";
        }

        if (Field is not null)
        {
            where += " " + Field;
        }

        return $"{(Severity == FineTuningIssueSeverity.Error ? "error" : "warning")} [{Rule}] {where}: {Message}";
    }
}
