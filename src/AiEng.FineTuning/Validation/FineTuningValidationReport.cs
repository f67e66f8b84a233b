using System.Text;

namespace AiEng.FineTuning;

/// <summary>What <see cref="FineTuningValidator"/> found: every issue, and the tokens of every example.</summary>
public sealed class FineTuningValidationReport
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningValidationReport"/> class.</summary>
    /// <param name="issues">The issues, in the order found.</param>
    /// <param name="trainingTokens">The tokens of each training example.</param>
    /// <param name="validationTokens">The tokens of each validation example.</param>
    public FineTuningValidationReport(IReadOnlyList<FineTuningIssue> issues, IReadOnlyList<int> trainingTokens, IReadOnlyList<int> validationTokens)
    {
        Issues = issues;
        TrainingTokens = trainingTokens;
        ValidationTokens = validationTokens;
    }

    /// <summary>Gets the issues, in the order found.</summary>
    public IReadOnlyList<FineTuningIssue> Issues { get; }

    /// <summary>Gets the tokens of each training example, in order.</summary>
    public IReadOnlyList<int> TrainingTokens { get; }

    /// <summary>Gets the tokens of each validation example, in order.</summary>
    public IReadOnlyList<int> ValidationTokens { get; }

    /// <summary>Gets a value indicating whether no issue is an error.</summary>
    public bool IsValid => !Issues.Any(static i => i.Severity == FineTuningIssueSeverity.Error);

    /// <summary>Lists the counts and every issue, one a line.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        int errors = Issues.Count(static i => i.Severity == FineTuningIssueSeverity.Error);
        var text = new StringBuilder();
        text.Append($"{TrainingTokens.Count} training and {ValidationTokens.Count} validation examples, {TrainingTokens.Sum(static t => (long)t)} training tokens; ")
            .Append($"{errors} errors, {Issues.Count - errors} warnings");
        foreach (FineTuningIssue issue in Issues)
        {
            text.AppendLine().Append(issue);
        }

        return text.ToString();
    }
}
