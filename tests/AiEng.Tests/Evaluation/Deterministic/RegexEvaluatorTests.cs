using System.Text.RegularExpressions;
using AiEng.Evaluation;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Tests.Evaluation.Deterministic;

public sealed class RegexEvaluatorTests
{
    [Fact]
    public async Task Scores_one_for_a_match_and_zero_otherwise()
    {
        var evaluator = new RegexEvaluator(@"^\d{4}-\d{2}-\d{2}$");
        Assert.Equal(1, await EvalCall.ValueAsync(evaluator, "2024-05-01", RegexEvaluator.MetricName));
        Assert.Equal(0, await EvalCall.ValueAsync(evaluator, "May 1st", RegexEvaluator.MetricName));
        Assert.Equal(1, await EvalCall.ValueAsync(new RegexEvaluator("PARIS", RegexOptions.IgnoreCase), "paris", RegexEvaluator.MetricName));
    }

    [Fact]
    public async Task A_catastrophically_backtracking_pattern_times_out_and_leaves_the_case_unscored()
    {
        // Nested quantifiers on input that almost matches: the backtracking engine would try about 2^40 paths.
        var evaluator = new RegexEvaluator("^(a+)+$");

        NumericMetric metric = await EvalCall.ScoreAsync(evaluator, new string('a', 40) + "!", RegexEvaluator.MetricName);

        Assert.Null(metric.Value);
        Assert.Contains(metric.Diagnostics ?? [], d => d.Message.Contains("timed out after 1 s", StringComparison.Ordinal));
    }

    [Fact]
    public void Rejects_an_invalid_pattern()
    {
        Assert.Throws<RegexParseException>(() => new RegexEvaluator("(unclosed"));
    }
}
