using AiEng.Evaluation;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Tests.Evaluation.Deterministic;

public sealed class ExactMatchEvaluatorTests
{
    [Fact]
    public async Task Matches_ignoring_case_and_extra_whitespace_by_default()
    {
        var evaluator = new ExactMatchEvaluator();
        Assert.Equal(1, await EvalCall.ValueAsync(evaluator, "  Paris\n is  NICE ", ExactMatchEvaluator.MetricName, new ReferenceContext("paris is nice")));
        Assert.Equal(0, await EvalCall.ValueAsync(evaluator, "Paris is nice.", ExactMatchEvaluator.MetricName, new ReferenceContext("paris is nice")));
    }

    [Fact]
    public async Task Removes_punctuation_and_articles_when_asked()
    {
        var evaluator = new ExactMatchEvaluator(new TextNormalizationOptions { RemovePunctuation = true, RemoveArticles = true });
        Assert.Equal(1, await EvalCall.ValueAsync(evaluator, "The Eiffel Tower!", ExactMatchEvaluator.MetricName, new ReferenceContext("eiffel tower")));
    }

    [Fact]
    public async Task Is_case_sensitive_when_configured_and_does_not_keep_a_reference_to_the_callers_options()
    {
        var options = new TextNormalizationOptions { IgnoreCase = false };
        var evaluator = new ExactMatchEvaluator(options);
        options.IgnoreCase = true;
        Assert.Equal(0, await EvalCall.ValueAsync(evaluator, "Paris", ExactMatchEvaluator.MetricName, new ReferenceContext("paris")));
    }

    [Fact]
    public async Task A_case_without_a_reference_gets_an_error_diagnostic_and_no_value()
    {
        var metric = await EvalCall.ScoreAsync(new ExactMatchEvaluator(), "Paris", ExactMatchEvaluator.MetricName);
        Assert.Null(metric.Value);
        var diagnostic = Assert.Single(metric.Diagnostics!);
        Assert.Equal(EvaluationDiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("no reference", diagnostic.Message, StringComparison.Ordinal);
    }
}
