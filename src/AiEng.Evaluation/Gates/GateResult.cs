namespace AiEng.Evaluation;

/// <summary>The outcome of an <see cref="EvaluationGate"/>: every check and whether all passed.</summary>
public sealed class GateResult
{
    internal GateResult(IReadOnlyList<GateCheck> checks)
    {
        Checks = checks;
    }

    /// <summary>Gets every check in rule order.</summary>
    public IReadOnlyList<GateCheck> Checks { get; }

    /// <summary>Gets a value indicating whether every check passed.</summary>
    public bool Passed => Checks.All(static c => c.Passed);

    /// <summary>Gets the failed checks.</summary>
    public IEnumerable<GateCheck> Failures => Checks.Where(static c => !c.Passed);

    /// <summary>A readable report: one line per check, failures first.</summary>
    /// <returns>The report.</returns>
    public override string ToString() =>
        (Passed ? "Evaluation gate passed." : $"Evaluation gate failed ({Failures.Count()} of {Checks.Count} checks):")
        + Environment.NewLine + string.Join(Environment.NewLine, Checks.OrderBy(static c => c.Passed).Select(static c => "  " + c));
}
