using System.Text.RegularExpressions;
using AiEng.Evaluation;

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
    public void Rejects_an_invalid_pattern()
    {
        Assert.Throws<RegexParseException>(() => new RegexEvaluator("(unclosed"));
    }
}
