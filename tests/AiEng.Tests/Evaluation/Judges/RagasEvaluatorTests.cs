using AiEng.Evaluation;
using AiEng.Prompts;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Evaluation.Judges;

/// <summary>The Ragas judges: faithfulness, answer relevancy, context precision@k and context recall.</summary>
public sealed class RagasEvaluatorTests
{
    private static readonly GroundingContext Contexts = new(["Paris is the capital of France.", "Berlin is in Germany.", "France is in Europe."]);

    [Fact]
    public async Task Faithfulness_is_supported_claims_over_all_claims()
    {
        var (judge, client) = JudgeFakes.Replying(p => p.Contains("atomic factual claims", StringComparison.Ordinal)
            ? "{\"claims\": [\"Paris is the capital of France.\", \"Paris has 20 million inhabitants.\", \"France is in Europe.\"]}"
            : "{\"verdicts\": [{\"supported\": true}, {\"supported\": \"no\", \"reason\": \"not stated\"}, {\"supported\": \"yes\"}]}");

        var metric = await JudgeFakes.ScoreAsync(new FaithfulnessEvaluator(), judge, "Paris, capital of France, 20 million people, in Europe.", FaithfulnessEvaluator.MetricName, Contexts);

        Assert.Equal(2.0 / 3, metric.Value!.Value, 12);
        Assert.Contains("NOT supported: Paris has 20 million inhabitants. (not stated)", metric.Reason, StringComparison.Ordinal);
        Assert.Equal(2, client.CallCount);
    }

    [Fact]
    public async Task Faithfulness_reports_mismatched_verdicts_no_claims_and_no_contexts_as_diagnostics()
    {
        var (mismatch, _) = JudgeFakes.Replying(p => p.Contains("atomic factual claims", StringComparison.Ordinal) ? "{\"claims\": [\"a\", \"b\"]}" : "{\"verdicts\": [{\"supported\": true}]}");
        JudgeFakes.AssertUnscored(await JudgeFakes.ScoreAsync(new FaithfulnessEvaluator(), mismatch, "x", FaithfulnessEvaluator.MetricName, Contexts), "1 verdicts for 2 claims");

        var (none, _) = JudgeFakes.Replying(_ => "{\"claims\": []}");
        JudgeFakes.AssertUnscored(await JudgeFakes.ScoreAsync(new FaithfulnessEvaluator(), none, "Hello!", FaithfulnessEvaluator.MetricName, Contexts), "no factual claims");

        JudgeFakes.AssertUnscored(await JudgeFakes.ScoreAsync(new FaithfulnessEvaluator(), none, "x", FaithfulnessEvaluator.MetricName), "no contexts");
    }

    [Fact]
    public async Task Answer_relevancy_is_the_mean_cosine_of_the_question_with_generated_questions_and_zero_when_noncommittal()
    {
        var embeddings = TestEmbeddingGenerator.FromFunction(text => text.StartsWith("What is the capital", StringComparison.Ordinal) ? [1f, 0f] : text == "Which city is France's capital?" ? [1f, 0f] : [0f, 1f]);
        var (judge, _) = JudgeFakes.Replying(_ => "{\"questions\": [\"Which city is France's capital?\", \"How big is Paris?\"], \"noncommittal\": false}");

        var metric = await JudgeFakes.ScoreAsync(new AnswerRelevancyEvaluator(embeddings, 2), judge, "Paris.", AnswerRelevancyEvaluator.MetricName);
        Assert.Equal(0.5, metric.Value!.Value, 6);

        var (evasive, _) = JudgeFakes.Replying(_ => "{\"questions\": [\"Which city is France's capital?\"], \"noncommittal\": true}");
        Assert.Equal(0, (await JudgeFakes.ScoreAsync(new AnswerRelevancyEvaluator(embeddings), evasive, "I don't know.", AnswerRelevancyEvaluator.MetricName)).Value);
    }

    [Fact]
    public async Task Context_precision_at_k_rewards_useful_contexts_ranked_first()
    {
        // Verdicts useful, not useful, useful: (1/1 + 2/3) / 2 = 0.8333.
        var (judge, _) = JudgeFakes.Replying(_ => "{\"verdicts\": [{\"useful\": true}, {\"useful\": false}, {\"useful\": true}]}");
        var evaluator = new ContextPrecisionEvaluator(k: 3);

        var metric = await JudgeFakes.ScoreAsync(evaluator, judge, "Paris.", "Context Precision@3", Contexts, new ReferenceContext("Paris"));

        Assert.Equal((1 + (2.0 / 3)) / 2, metric.Value!.Value, 12);
        var (none, _) = JudgeFakes.Replying(_ => "{\"verdicts\": [{\"useful\": false}, {\"useful\": false}, {\"useful\": false}]}");
        Assert.Equal(0, (await JudgeFakes.ScoreAsync(evaluator, none, "Paris.", "Context Precision@3", Contexts)).Value);
    }

    [Fact]
    public async Task Context_recall_is_attributed_reference_statements_over_all_and_needs_a_reference()
    {
        var (judge, _) = JudgeFakes.Replying(_ => "{\"statements\": [{\"statement\": \"Paris is the capital.\", \"attributed\": true}, {\"statement\": \"It has the Louvre.\", \"attributed\": false}]}");

        var metric = await JudgeFakes.ScoreAsync(new ContextRecallEvaluator(), judge, "Paris.", ContextRecallEvaluator.MetricName, Contexts, new ReferenceContext("Paris is the capital. It has the Louvre."));
        Assert.Equal(0.5, metric.Value);
        Assert.Contains("NOT attributed: It has the Louvre.", metric.Reason, StringComparison.Ordinal);

        JudgeFakes.AssertUnscored(await JudgeFakes.ScoreAsync(new ContextRecallEvaluator(), judge, "Paris.", ContextRecallEvaluator.MetricName, Contexts), "no reference");
    }

    [Fact]
    public void Every_judge_prompt_is_a_registry_prompt_file_rendered_to_system_and_user_messages()
    {
        foreach (string name in new[] { "score", "faithfulness-claims", "faithfulness-verdicts", "answer-relevancy", "context-precision", "context-recall" })
        {
            var template = Assert.IsType<PromptTemplate>(JudgePrompt.Get(name));
            var values = template.File.Inputs.ToDictionary(i => i.Name, i => $"<{i.Name} value>");

            var (messages, id) = JudgePrompt.Render(name, values);

            Assert.Equal(name, id.Name);
            Assert.Equal("1.0.0", id.Version);
            Assert.False(string.IsNullOrEmpty(id.ContentHash), name);
            Assert.Equal([ChatRole.System, ChatRole.User], messages.Select(m => m.Role));
            Assert.DoesNotContain("---", messages[0].Text, StringComparison.Ordinal);
            string all = string.Join("\n", messages.Select(m => m.Text));
            Assert.DoesNotContain("{{", all, StringComparison.Ordinal);
            Assert.All(values.Values, v => Assert.Contains(v, all, StringComparison.Ordinal));
        }
    }
}
