using AiEng.FineTuning;
using AiEng.Inference;
using AiEng.Prompts;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Tests.FineTuning.Builders;

public sealed class TeacherDistillerTests
{
    private static readonly PromptTemplate Prompt = PromptTemplate.Parse(FineTuningDataBuilderTests.Classify, "classify.prompty");

    private static Dictionary<string, object?> Input(string text) => new() { ["input"] = text };

    /// <summary>Fails an answer that contains "bad".</summary>
    private sealed class NoBadWords : IEvaluator
    {
        public IReadOnlyCollection<string> EvaluationMetricNames => ["clean"];

        public ValueTask<EvaluationResult> EvaluateAsync(
            IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
            IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
        {
            bool clean = !modelResponse.Text.Contains("bad", StringComparison.Ordinal);
            var metric = new BooleanMetric("clean", clean) { Interpretation = new EvaluationMetricInterpretation(clean ? EvaluationRating.Good : EvaluationRating.Unacceptable, failed: !clean) };
            return ValueTask.FromResult(new EvaluationResult(metric));
        }
    }

    private static TestChatClient Teacher(Func<string, string> answer) => new()
    {
        GetResponseAsyncCallback = (messages, _, _) =>
        {
            string question = messages.Last().Text;
            if (question == "boom")
            {
                throw new InvalidOperationException("teacher down");
            }

            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(question)))
            {
                Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 },
            });
        },
    };

    [Fact]
    public async Task Keeps_answers_that_pass_and_records_teacher_prompt_tokens_and_cost()
    {
        var options = new DistillationOptions { Evaluators = { new NoBadWords() }, Prices = { ["test-model"] = new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 10m } } };
        var distiller = new TeacherDistiller(Teacher(q => q.StartsWith("refund", StringComparison.Ordinal) ? "billing" : "bad answer"), options);

        DistillationResult result = await distiller.DistillAsync(Prompt, [Input("refund please"), Input("other thing"), Input("boom"), Input("refund now")]);

        Assert.Equal(["billing", "billing"], result.DataSet.Examples.Select(e => e.Messages[^1].Text));
        Assert.Equal(3, result.DataSet.Examples[0].Messages.Count);
        Assert.Equal([(1, "failed-evaluation"), (2, "teacher-error")], result.Rejected.Select(r => (r.InputIndex, r.Reason)));
        Assert.Contains("teacher down", result.Rejected[1].Detail, StringComparison.Ordinal);
        FineTuningProvenance provenance = result.DataSet.Provenance;
        Assert.Equal(("distillation", "test-model", Prompt.Id), (provenance.Source, provenance.TeacherModel, provenance.Prompt));
        Assert.Equal((300L, 30L), (provenance.InputTokens, provenance.OutputTokens));
        Assert.Equal(((300m * 1m) + (30m * 10m)) / 1_000_000m, provenance.Cost);
    }

    [Fact]
    public async Task Removes_near_duplicate_answers_by_embedding_similarity()
    {
        var generator = TestEmbeddingGenerator.FromFunction(text => text.Contains("refund", StringComparison.Ordinal) ? [1f, 0f] : [0f, 1f]);
        var distiller = new TeacherDistiller(Teacher(_ => "billing"), new DistillationOptions { EmbeddingGenerator = generator });

        DistillationResult result = await distiller.DistillAsync(Prompt, [Input("refund please"), Input("login broken"), Input("refund now")]);

        Assert.Equal(2, result.DataSet.Examples.Count);
        DistillationRejection duplicate = Assert.Single(result.Rejected);
        Assert.Equal((2, "duplicate"), (duplicate.InputIndex, duplicate.Reason));
        Assert.Contains("#0", duplicate.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Never_runs_more_teacher_calls_at_once_than_allowed_and_honours_cancellation()
    {
        int active = 0, peak = 0;
        var teacher = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, token) =>
            {
                int now = Interlocked.Increment(ref active);
                int seen;
                while ((seen = Volatile.Read(ref peak)) < now && Interlocked.CompareExchange(ref peak, now, seen) != seen)
                {
                }

                await Task.Yield();
                Interlocked.Decrement(ref active);
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"));
            },
        };
        DistillationResult result = await new TeacherDistiller(teacher, new DistillationOptions { MaxConcurrency = 2 }).DistillAsync(Prompt, Enumerable.Range(0, 20).Select(i => Input("q" + i)));
        Assert.Equal(20, result.DataSet.Examples.Count);
        Assert.InRange(peak, 1, 2);

        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TeacherDistiller(teacher).DistillAsync(Prompt, [Input("q")], cts.Token));
    }
}
