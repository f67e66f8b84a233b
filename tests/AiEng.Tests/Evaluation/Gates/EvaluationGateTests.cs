using AiEng.Evaluation;

namespace AiEng.Tests.Evaluation.Gates;

public sealed class EvaluationGateTests
{
    [Fact]
    public void Assert_throws_a_message_that_names_the_rule_and_the_measured_mean()
    {
        var run = RunFactory.Run("new", "Token F1", 0.5, 0.6, null);
        var gate = new EvaluationGate().AtLeast("Token F1", 0.7).AtMost("Token F1", 0.9);

        var ex = Assert.Throws<EvaluationGateException>(() => gate.Assert(run));

        Assert.Contains("FAIL mean(Token F1) >= 0.7: mean 0.55 over 2 cases, 1 cases without a value", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PASS mean(Token F1) <= 0.9", ex.Message, StringComparison.Ordinal);
        Assert.Single(ex.Result!.Failures);
    }

    [Fact]
    public void Fails_a_significant_regression_beyond_the_tolerance_and_passes_without_a_baseline()
    {
        var baseline = RunFactory.Run("base", "m", 0.8, 0.7, 0.9, 0.8, 0.7, 0.9);
        var worse = RunFactory.Run("new", "m", 0.6, 0.5, 0.7, 0.6, 0.5, 0.7);
        var gate = new EvaluationGate().NoRegression("m", tolerance: 0.05);

        var result = gate.Evaluate(worse, baseline);
        Assert.False(result.Passed);
        Assert.Contains("delta -0.2000", result.Checks.Single().Detail, StringComparison.Ordinal);

        Assert.True(new EvaluationGate().NoRegression("m", tolerance: 0.25).Evaluate(worse, baseline).Passed);
        Assert.Contains("skipped", gate.Evaluate(worse).Checks.Single().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_metric_missing_from_the_run_fails_the_gate()
    {
        var result = new EvaluationGate().AtLeast("Other", 0.1).Evaluate(RunFactory.Run("new", "m", 1));
        Assert.Equal("the run has no such metric", Assert.Single(result.Failures).Detail);
    }
}
