namespace AiEng.FineTuning;

/// <summary>The result of <see cref="SecretScanner.Redact"/>: copies of the examples with every finding replaced, and the report.</summary>
public sealed class SecretRedaction
{
    /// <summary>Initializes a new instance of the <see cref="SecretRedaction"/> class.</summary>
    /// <param name="examples">The redacted examples, in the input order.</param>
    /// <param name="report">What was found (offsets refer to the original text).</param>
    public SecretRedaction(IReadOnlyList<FineTuningExample> examples, SecretScanReport report)
    {
        Examples = examples;
        Report = report;
    }

    /// <summary>Gets the redacted examples, in the input order; examples with nothing to redact are the same instances.</summary>
    public IReadOnlyList<FineTuningExample> Examples { get; }

    /// <summary>Gets what was found; offsets refer to the original text.</summary>
    public SecretScanReport Report { get; }
}
