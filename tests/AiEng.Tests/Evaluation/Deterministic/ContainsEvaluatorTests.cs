using AiEng.Evaluation;

namespace AiEng.Tests.Evaluation.Deterministic;

public sealed class ContainsEvaluatorTests
{
    [Fact]
    public async Task Scores_the_fraction_of_phrases_found_and_names_the_missing_ones()
    {
        var metric = await EvalCall.ScoreAsync(new ContainsEvaluator(["Paris", "france", "Berlin"]), "Paris is in France.", ContainsEvaluator.MetricName);
        Assert.Equal(2.0 / 3, metric.Value!.Value, 12);
        Assert.Contains("'berlin'", metric.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scores_one_when_any_phrase_is_found_if_not_all_are_required()
    {
        Assert.Equal(1, await EvalCall.ValueAsync(new ContainsEvaluator(["Rome", "Paris"], requireAll: false), "paris", ContainsEvaluator.MetricName));
        Assert.Equal(0, await EvalCall.ValueAsync(new ContainsEvaluator(["Rome"], requireAll: false), "paris", ContainsEvaluator.MetricName));
    }

    [Fact]
    public void Rejects_an_empty_phrase_list()
    {
        Assert.Throws<ArgumentException>(() => new ContainsEvaluator([]));
        Assert.Throws<ArgumentException>(() => new ContainsEvaluator([" "]));
    }
}
