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

    [Fact]
    public void A_rules_file_builds_the_same_checks_as_the_fluent_calls_in_its_order()
    {
        var baseline = RunFactory.Run("base", "m", 0.8, 0.7, 0.9, 0.8, 0.7, 0.9);
        var worse = RunFactory.Run("new", "m", 0.6, 0.5, 0.7, 0.6, 0.5, 0.7);
        const string Json = """
            {
              // comments are allowed
              "rules": [
                { "metric": "m", "min": 0.5 },
                { "metric": "m", "max": 0.55 },
                { "metric": "m", "noRegression": 0.05 },
                { "metric": "m", "noRegression": 0, "higherIsBetter": false },
              ]
            }
            """;

        GateResult result = EvaluationGate.Parse(Json, "gate.json").Evaluate(worse, baseline);
        GateResult fluent = new EvaluationGate().AtLeast("m", 0.5).AtMost("m", 0.55).NoRegression("m", 0.05).NoRegression("m", 0, higherIsBetter: false).Evaluate(worse, baseline);

        Assert.Equal(fluent.Checks.Select(c => (c.Rule, c.Passed, c.Detail)), result.Checks.Select(c => (c.Rule, c.Passed, c.Detail)));
        Assert.Equal([true, false, false, true], result.Checks.Select(c => c.Passed));
    }

    [Theory]
    [InlineData("{\"rules\": [{\"metric\": \"m\", \"min\": 0.5, \"max\": 0.9}]}", "gate.json: rules[0] (m): give exactly one of 'min', 'max' or 'noRegression' (found 2)")]
    [InlineData("{\"rules\": [{\"metric\": \"m\", \"min\": 0.5}, {\"min\": 0.5}]}", "gate.json: rules[1]: 'metric' is missing")]
    [InlineData("{\"rules\": [{\"metric\": \"m\", \"max\": 1, \"higherIsBetter\": false}]}", "rules[0] (m): 'higherIsBetter' applies only to a 'noRegression' rule")]
    [InlineData("{\"rules\": [{\"metric\": \"m\", \"noRegression\": -0.1}]}", "must be zero or more, but is -0.1")]
    [InlineData("{\"rules\": []}", "gate.json:1: the file has no rules")]
    [InlineData("{\n\"rules\": [\n{\"metric\": \"m\", \"minimum\": 0.5}]}", "gate.json:3: not a gate rules file")]
    [InlineData("{\"rules\": [", "gate.json:1: not a gate rules file")]
    public void A_bad_rules_file_fails_naming_the_file_and_the_rule(string json, string expected)
    {
        var error = Assert.Throws<EvaluationDataException>(() => EvaluationGate.Parse(json, "gate.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
