using System.Text;

namespace AiEng.FineTuning;

/// <summary>The secrets and personal data found in a set of examples, by example and field; never the secrets themselves.</summary>
public sealed class SecretScanReport
{
    /// <summary>Initializes a new instance of the <see cref="SecretScanReport"/> class.</summary>
    /// <param name="findings">The findings, in example and field order.</param>
    public SecretScanReport(IReadOnlyList<SecretFinding> findings)
    {
        Findings = findings;
    }

    /// <summary>Gets the findings, in example and field order.</summary>
    public IReadOnlyList<SecretFinding> Findings { get; }

    /// <summary>Gets a value indicating whether nothing was found.</summary>
    public bool IsClean => Findings.Count == 0;

    /// <summary>Gets the number of findings of each kind found.</summary>
    public IReadOnlyDictionary<SecretKind, int> CountsByKind =>
        Findings.GroupBy(static f => f.Kind).OrderBy(static g => g.Key).ToDictionary(static g => g.Key, static g => g.Count());

    /// <summary>Lists the counts by kind and every finding, one a line, without the secrets.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        if (IsClean)
        {
            return "No secrets or personal data found.";
        }

        var text = new StringBuilder();
        text.Append(Findings.Count).Append(" findings: ").AppendJoin(", ", CountsByKind.Select(static p => $"{p.Key} {p.Value}"));
        foreach (SecretFinding finding in Findings)
        {
            text.AppendLine().Append("  ").Append(finding);
        }

        return text.ToString();
    }
}
