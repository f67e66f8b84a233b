using AiEng.Evaluation;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Tests.Evaluation.Judges;

public sealed class LlmJudgeEvaluatorTests
{
    [Fact]
    public async Task Reads_score_and_reasoning_from_json_wrapped_in_prose_and_a_code_fence()
    {
        string? prompt = null;
        var (judge, _) = JudgeFakes.Replying(p =>
        {
            prompt = p;
            return "Sure! Here is my evaluation:\n```json\n{\"reasoning\": \"Direct and complete.\", \"score\": \"4\"}\n```";
        });

        var metric = await JudgeFakes.ScoreAsync(LlmJudgeEvaluator.Relevance(), judge, "Paris.", "Relevance");

        Assert.Equal(4, metric.Value);
        Assert.Equal("Direct and complete.", metric.Reason);
        Assert.Equal(EvaluationRating.Good, metric.Interpretation!.Rating);
        Assert.Contains("Criterion: Relevance", prompt, StringComparison.Ordinal);
        Assert.Contains("What is the capital of France?", prompt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I think it is good.", "holds no JSON object")]
    [InlineData("{\"reasoning\": \"ok\", \"score\": 7}", "outside 1 to 5")]
    [InlineData("{\"reasoning\": \"ok\", \"score\": \"NaN\"}", "no numeric 'score'")]
    [InlineData("{\"reasoning\": \"ok\"}", "no numeric 'score'")]
    [InlineData("{\"score\": 3", "holds no JSON object")]
    public async Task Malformed_or_out_of_range_output_becomes_a_diagnostic_never_a_value(string reply, string expected)
    {
        var (judge, _) = JudgeFakes.Replying(_ => reply);
        JudgeFakes.AssertUnscored(await JudgeFakes.ScoreAsync(LlmJudgeEvaluator.Coherence(), judge, "Paris.", "Coherence"), expected);
    }

    [Fact]
    public async Task Hostile_output_of_deeply_nested_braces_is_refused_with_a_diagnostic_after_a_bounded_number_of_tries()
    {
        // 20,000 nested objects: too deep for the JSON reader (64 levels), and each start tried would scan to the end.
        string nested = string.Concat(Enumerable.Repeat("{\"a\":", 20_000)) + "1" + new string('}', 20_000);
        var (judge, _) = JudgeFakes.Replying(_ => nested);

        JudgeFakes.AssertUnscored(
            await JudgeFakes.ScoreAsync(LlmJudgeEvaluator.Coherence(), judge, "Paris.", "Coherence"),
            "no JSON object among the first 64 opening braces (objects nested more than 64 levels deep are not read)");
    }

    [Fact]
    public async Task A_score_object_nested_in_a_broken_outer_object_is_still_found()
    {
        var (judge, _) = JudgeFakes.Replying(_ => "{\"wrapper\": {\"reasoning\": \"fine\", \"score\": 4}, oops}");

        Assert.Equal(4, (await JudgeFakes.ScoreAsync(LlmJudgeEvaluator.Coherence(), judge, "Paris.", "Coherence")).Value);
    }

    [Fact]
    public async Task A_failing_or_missing_judge_becomes_a_diagnostic()
    {
        var (judge, client) = JudgeFakes.Replying(_ => throw new TimeoutException("judge timed out"));
        JudgeFakes.AssertUnscored(await JudgeFakes.ScoreAsync(LlmJudgeEvaluator.Relevance(), judge, "Paris.", "Relevance"), "TimeoutException: judge timed out");
        JudgeFakes.AssertUnscored(await JudgeFakes.ScoreAsync(LlmJudgeEvaluator.Relevance(), null, "Paris.", "Relevance"), "No judge is configured");
    }

    [Fact]
    public async Task Correctness_needs_a_reference_and_sends_it_to_the_judge()
    {
        string? prompt = null;
        var (judge, client) = JudgeFakes.Replying(p => { prompt = p; return "{\"reasoning\":\"same\",\"score\":5}"; });

        JudgeFakes.AssertUnscored(await JudgeFakes.ScoreAsync(LlmJudgeEvaluator.Correctness(), judge, "Paris.", "Correctness"), "no reference");
        Assert.Equal(0, client.CallCount);

        Assert.Equal(5, (await JudgeFakes.ScoreAsync(LlmJudgeEvaluator.Correctness(), judge, "Paris.", "Correctness", new ReferenceContext("Paris is the capital."))).Value);
        Assert.Contains("Paris is the capital.", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_rubric_puts_its_criteria_and_steps_in_the_prompt()
    {
        string? prompt = null;
        var (judge, _) = JudgeFakes.Replying(p => { prompt = p; return "{\"reasoning\":\"polite\",\"score\":2}"; });
        var rubric = new LlmJudgeEvaluator("Politeness", "Polite tone, no sarcasm.", "1. Read.\n2. Judge the tone.");

        var metric = await JudgeFakes.ScoreAsync(rubric, judge, "Paris, obviously.", "Politeness");

        Assert.Equal(2, metric.Value);
        Assert.True(metric.Interpretation!.Failed);
        Assert.Contains("Polite tone, no sarcasm.", prompt, StringComparison.Ordinal);
        Assert.Contains("2. Judge the tone.", prompt, StringComparison.Ordinal);
    }
}
