using AiEng.Evaluation;
using AiEng.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using static AiEng.Tests.Inference.Cascade.CascadeTestKit;

namespace AiEng.Tests.Evaluation.Cascade;

public sealed class EvaluatorAcceptanceCheckTests
{
    /// <summary>An evaluator that reports one metric made by <paramref name="metric"/> from the response text.</summary>
    private sealed class FixedEvaluator(Func<string, EvaluationMetric> metric) : IEvaluator
    {
        public IReadOnlyCollection<string> EvaluationMetricNames { get; } = ["Score"];

        public IList<IEnumerable<EvaluationContext>?> Contexts { get; } = [];

        public ValueTask<EvaluationResult> EvaluateAsync(
            IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
            IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
        {
            Contexts.Add(additionalContext);
            return new(new EvaluationResult(metric(modelResponse.Text)));
        }
    }

    private static IChatClient Cascade(IEvaluator evaluator, double minimum, IChatClient? large = null, Func<CascadeAttempt, IEnumerable<EvaluationContext>?>? context = null) =>
        Model("small", "Lyon").AsBuilder()
            .UseCascade(o => o.EscalateTo(large ?? Model("large", "Paris")).RequireScore(evaluator, "Score", minimum, additionalContext: context))
            .Build();

    [Fact]
    public async Task A_score_under_the_minimum_escalates_and_one_at_it_is_accepted()
    {
        var evaluator = new FixedEvaluator(text => new NumericMetric("Score", text == "Lyon" ? 0.4 : 0.9));

        ChatResponse escalated = await Cascade(evaluator, 0.5).GetResponseAsync("Capital of France?");
        ChatResponse accepted = await Cascade(evaluator, 0.4).GetResponseAsync("Capital of France?");

        Assert.Equal("Paris", escalated.Text);
        Assert.Equal(["small: 'Score' is 0.4, under the minimum 0.5"], Rejections(escalated));
        Assert.Equal("Lyon", accepted.Text);
    }

    [Fact]
    public async Task A_boolean_metric_counts_as_one_or_zero()
    {
        var evaluator = new FixedEvaluator(text => new BooleanMetric("Score", text == "Paris"));

        ChatResponse response = await Cascade(evaluator, 1).GetResponseAsync("Capital of France?");

        Assert.Equal("Paris", response.Text);
        Assert.Equal(["small: 'Score' is 0, under the minimum 1"], Rejections(response));
    }

    [Fact]
    public async Task A_missing_metric_or_score_escalates()
    {
        ChatResponse unscored = await Cascade(new FixedEvaluator(_ => new NumericMetric("Score")), 0).GetResponseAsync("Q");
        ChatResponse missing = await Cascade(new FixedEvaluator(_ => new NumericMetric("Other", 1)), 0).GetResponseAsync("Q");

        Assert.Equal(["small: the evaluator gave 'Score' no score"], Rejections(unscored));
        Assert.Equal(["small: the evaluator returned no metric 'Score' (it returned 'Other')"], Rejections(missing));
    }

    [Fact]
    public async Task The_evaluator_receives_the_context_made_for_the_attempt()
    {
        var evaluator = new FixedEvaluator(_ => new NumericMetric("Score", 1));
        var reference = new ReferenceContext("Paris");

        await Cascade(evaluator, 0.5, context: attempt => attempt.ModelName == "small" ? [reference] : null).GetResponseAsync("Q");

        Assert.Same(reference, Assert.Single(Assert.Single(evaluator.Contexts)!));
    }

    [Fact]
    public async Task The_exact_match_evaluator_gates_answers_against_a_reference()
    {
        using IChatClient client = Model("small", "Lyon").AsBuilder()
            .UseCascade(o => o.EscalateTo(Model("large", "Paris")).RequireScore(new ExactMatchEvaluator(), ExactMatchEvaluator.MetricName, 1, additionalContext: _ => [new ReferenceContext("Paris")]))
            .Build();

        ChatResponse response = await client.GetResponseAsync("Capital of France?");

        Assert.Equal("Paris", response.Text);
        Assert.Equal(1, CascadeProperties.GetStep(response.AdditionalProperties));
    }

    [Fact]
    public void RequireScore_checks_its_arguments()
    {
        var options = new CascadeOptions();
        var evaluator = new FixedEvaluator(_ => new NumericMetric("Score", 1));

        Assert.Throws<ArgumentNullException>("options", () => CascadeOptionsEvaluationExtensions.RequireScore(null!, evaluator, "Score", 1));
        Assert.Throws<ArgumentNullException>("evaluator", () => options.RequireScore(null!, "Score", 1));
        Assert.Throws<ArgumentException>("metricName", () => options.RequireScore(evaluator, " ", 1));
        Assert.Throws<ArgumentOutOfRangeException>("minimum", () => options.RequireScore(evaluator, "Score", double.NaN));
        var error = Assert.Throws<ArgumentException>("metricName", () => options.RequireScore(evaluator, "Scroe", 1));
        Assert.Contains("it reports 'Score'", error.Message, StringComparison.Ordinal);
        Assert.Empty(options.AcceptanceChecks);
    }
}
