using AiEng.Evaluation;

namespace AiEng.Tests.Evaluation.Deterministic;

public sealed class TokenF1EvaluatorTests
{
    [Fact]
    public async Task Computes_squad_token_f1_over_normalised_tokens()
    {
        // Response tokens: eiffel tower paris (the removed); reference: eiffel tower in paris france.
        // common = 3, P = 3/3, R = 3/5, F1 = 2 * 1 * 0.6 / 1.6 = 0.75.
        double f1 = await EvalCall.ValueAsync(new TokenF1Evaluator(), "The Eiffel Tower, Paris.", TokenF1Evaluator.MetricName, new ReferenceContext("Eiffel tower in Paris France"));
        Assert.Equal(0.75, f1, 12);
    }

    [Fact]
    public async Task Counts_a_repeated_token_only_as_often_as_the_reference_has_it()
    {
        // Response x x x y, reference x y: common = 2, P = 2/4, R = 2/2, F1 = 2/3.
        double f1 = await EvalCall.ValueAsync(new TokenF1Evaluator(), "x x x y", TokenF1Evaluator.MetricName, new ReferenceContext("x y"));
        Assert.Equal(2.0 / 3, f1, 12);
    }

    [Fact]
    public async Task Scores_zero_without_overlap()
    {
        Assert.Equal(0, await EvalCall.ValueAsync(new TokenF1Evaluator(), "berlin", TokenF1Evaluator.MetricName, new ReferenceContext("paris")));
    }
}
