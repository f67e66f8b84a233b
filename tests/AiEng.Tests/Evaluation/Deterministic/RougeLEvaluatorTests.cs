using AiEng.Evaluation;

namespace AiEng.Tests.Evaluation.Deterministic;

public sealed class RougeLEvaluatorTests
{
    [Fact]
    public async Task Uses_the_longest_common_subsequence_not_contiguous_overlap()
    {
        // LCS of "police killed the gunman" and "police kill the gunman" is "police the gunman" (3).
        // P = 3/4, R = 3/4, F = 0.75 (the example of Lin, 2004).
        double score = await EvalCall.ValueAsync(new RougeLEvaluator(), "police kill the gunman", RougeLEvaluator.MetricName, new ReferenceContext("police killed the gunman"));
        Assert.Equal(0.75, score, 12);

        // "the gunman kill police": LCS with the reference is "the gunman" (2): F = 0.5.
        score = await EvalCall.ValueAsync(new RougeLEvaluator(), "the gunman kill police", RougeLEvaluator.MetricName, new ReferenceContext("police killed the gunman"));
        Assert.Equal(0.5, score, 12);
    }

    [Fact]
    public async Task Different_lengths_weigh_precision_and_recall()
    {
        // Candidate a b (2), reference a b c d (4): LCS 2, P = 1, R = 0.5, F = 2/3.
        Assert.Equal(2.0 / 3, await EvalCall.ValueAsync(new RougeLEvaluator(), "w1 w2", RougeLEvaluator.MetricName, new ReferenceContext("w1 w2 w3 w4")), 12);
    }
}
