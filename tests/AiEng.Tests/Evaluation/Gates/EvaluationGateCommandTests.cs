using AiEng.Evaluation;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Evaluation.Gates;

public sealed class EvaluationGateCommandTests
{
    [Fact]
    public async Task Exits_zero_when_the_gate_passes_and_one_when_it_fails()
    {
        using var temp = new TempDirectory();
        string baseline = temp.Combine("base.json"), current = temp.Combine("current.json");
        await EvaluationReports.WriteJsonAsync(RunFactory.Run("base", "m", 0.9, 0.8, 0.9, 0.8), baseline);
        await EvaluationReports.WriteJsonAsync(RunFactory.Run("new", "m", 0.5, 0.4, 0.5, 0.4), current);

        var output = new StringWriter();
        Assert.Equal(0, await EvaluationGateCommand.RunAsync(["--run", current, "--min", "m=0.4"], output));
        Assert.Equal(1, await EvaluationGateCommand.RunAsync(["--run", current, "--baseline", baseline, "--no-regression", "m"], output));
        Assert.Contains("FAIL no significant regression of m", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_two_with_usage_for_bad_arguments_or_a_missing_report()
    {
        var output = new StringWriter();
        Assert.Equal(2, await EvaluationGateCommand.RunAsync(["--min", "m"], output));
        Assert.Equal(2, await EvaluationGateCommand.RunAsync(["--run", "/nonexistent/report.json"], output));
        Assert.Contains("usage:", output.ToString(), StringComparison.Ordinal);
    }
}
