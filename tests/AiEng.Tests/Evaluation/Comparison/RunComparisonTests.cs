using AiEng.Evaluation;

namespace AiEng.Tests.Evaluation.Comparison;

public sealed class RunComparisonTests
{
    [Fact]
    public void Flags_a_consistent_paired_improvement_and_reports_the_paired_means()
    {
        var baseline = RunFactory.Run("base", "m", 0.5, 0.4, 0.6, 0.5, 0.3, 0.7, 0.5, 0.4);
        var current = RunFactory.Run("new", "m", 0.6, 0.5, 0.7, 0.6, 0.4, 0.8, 0.6, 0.5);

        var delta = RunComparison.Compare(baseline, current)["m"]!;

        Assert.Equal(8, delta.PairedCases);
        Assert.Equal(0.1, delta.Delta, 12);
        Assert.Equal(0.4875, delta.BaselineMean, 12);
        Assert.True(delta.Significant);
        Assert.InRange(delta.Lower, 0.0999, 0.1001);
    }

    [Fact]
    public void Does_not_flag_noise_whose_interval_includes_zero()
    {
        var baseline = RunFactory.Run("base", "m", 0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
        var current = RunFactory.Run("new", "m", 0.9, 0.1, 0.6, 0.4, 0.8, 0.2);

        var delta = RunComparison.Compare(baseline, current)["m"]!;

        Assert.False(delta.Significant);
        Assert.True(delta.Lower < 0 && delta.Upper > 0);
    }

    [Fact]
    public void Pairs_only_cases_scored_in_both_runs_and_is_deterministic()
    {
        var baseline = RunFactory.Run("base", "m", 0.5, null, 0.5);
        var current = RunFactory.Run("new", "m", 0.7, 0.9, null);

        var first = RunComparison.Compare(baseline, current)["m"]!;
        var again = RunComparison.Compare(baseline, current)["m"]!;

        Assert.Equal(1, first.PairedCases);
        Assert.False(first.Significant);
        Assert.Equal((first.Lower, first.Upper), (again.Lower, again.Upper));
    }
}
