namespace AiEng.Evaluation;

/// <summary>The outcome of one gate rule.</summary>
public sealed class GateCheck
{
    /// <summary>Gets the rule, for example <c>mean(Token F1) &gt;= 0.6</c>.</summary>
    public string Rule { get; init; } = string.Empty;

    /// <summary>Gets a value indicating whether the rule holds.</summary>
    public bool Passed { get; init; }

    /// <summary>Gets what was measured, for example <c>mean 0.55 over 40 cases</c>.</summary>
    public string Detail { get; init; } = string.Empty;

    /// <inheritdoc />
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Rule}: {Detail}";
}
