using AiEng.Evaluation;

namespace AiEng.Tests.Evaluation.Deterministic;

public sealed class BleuEvaluatorTests
{
    [Fact]
    public async Task An_identical_response_scores_one()
    {
        Assert.Equal(1, await EvalCall.ValueAsync(new BleuEvaluator(), "the cat sat on the mat", BleuEvaluator.MetricName, new ReferenceContext("The cat sat on the mat.")), 12);
    }

    [Fact]
    public async Task Applies_clipped_precisions_smoothing_and_the_brevity_penalty()
    {
        // Candidate "the cat the cat" (4 tokens) vs reference "the cat sat on the mat" (6).
        // p1 = clipped unigrams: the 2 (ref has 2), cat 1 (ref 1) -> 3/4.
        // p2: bigrams "the cat" x2 (ref 1) -> 1, "cat the" 0 -> matched 1 of 3 -> smoothed (1+1)/(3+1) = 0.5.
        // p3: "the cat the", "cat the cat" -> 0 of 2 -> (0+1)/(2+1) = 1/3. p4: 0 of 1 -> 1/2.
        // BP = exp(1 - 6/4) = exp(-0.5).
        double expected = Math.Exp(-0.5) * Math.Exp((Math.Log(0.75) + Math.Log(0.5) + Math.Log(1.0 / 3) + Math.Log(0.5)) / 4);
        Assert.Equal(expected, await EvalCall.ValueAsync(new BleuEvaluator(), "the cat the cat", BleuEvaluator.MetricName, new ReferenceContext("the cat sat on the mat")), 12);
    }

    [Fact]
    public async Task Scores_zero_when_no_word_is_shared()
    {
        Assert.Equal(0, await EvalCall.ValueAsync(new BleuEvaluator(), "dog", BleuEvaluator.MetricName, new ReferenceContext("the cat")));
    }
}
