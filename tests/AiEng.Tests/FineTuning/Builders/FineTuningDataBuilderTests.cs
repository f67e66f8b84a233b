using AiEng.Evaluation;
using AiEng.FineTuning;
using AiEng.Prompts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.FineTuning.Builders;

public sealed class FineTuningDataBuilderTests
{
    internal const string Classify = """
        ---
        name: classify
        version: 1
        inputs:
          input:
            type: string
            required: true
        ---
        system:
        Classify the ticket: billing, account or other.
        user:
        {{ input }}
        """;

    [Fact]
    public void Labelled_examples_render_exactly_as_at_inference_with_the_target_as_the_answer()
    {
        PromptTemplate prompt = PromptTemplate.Parse(Classify, "classify.prompty");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var inputs = new Dictionary<string, object?> { ["input"] = "I was charged twice" };

        FineTuningDataSet set = FineTuningDataBuilder.FromPrompt(prompt, [new LabelledExample(inputs, "billing") { Label = "billing" }], timeProvider: time);

        FineTuningExample example = Assert.Single(set.Examples);
        IList<ChatMessage> atInference = prompt.Render(inputs).Messages;
        Assert.Equal(atInference.Select(m => (m.Role, m.Text)), example.Messages.Take(atInference.Count).Select(m => (m.Role, m.Text)));
        Assert.Equal((ChatRole.Assistant, "billing"), (example.Messages[^1].Role, example.Messages[^1].Text));
        Assert.Equal(("billing", "classify#0"), (example.Label, example.Id));
        Assert.Equal(("prompt", prompt.Id, time.GetUtcNow()), (set.Provenance.Source, set.Provenance.Prompt, set.Provenance.CreatedAt));
    }

    [Fact]
    public void An_example_that_does_not_render_is_an_error_naming_it()
    {
        PromptTemplate prompt = PromptTemplate.Parse(Classify, "classify.prompty");
        LabelledExample good = new(new Dictionary<string, object?> { ["input"] = "x" }, "other");
        LabelledExample bad = new(new Dictionary<string, object?>(), "other");

        var ex = Assert.Throws<FineTuningDataException>(() => FineTuningDataBuilder.FromPrompt(prompt, [good, bad]));
        Assert.StartsWith("Example #1 does not render through prompt 'classify@1'", ex.Message, StringComparison.Ordinal);
        Assert.IsType<PromptException>(ex.InnerException);
    }

    [Fact]
    public void An_evaluation_run_gives_its_weak_cases_with_reference_answers_as_targets()
    {
        static CaseResult Case(string id, double? score, string? reference) => new()
        {
            Id = id,
            Input = "input " + id,
            Output = "wrong",
            Reference = reference,
            Metrics = score is null ? [] : [new MetricScore { Name = "exact", Value = score }],
        };
        var run = new EvaluationRun { Name = "baseline", Dataset = "tickets", Cases = [Case("a", 0, "ref a"), Case("b", 1, "ref b"), Case("c", 0.2, null), Case("d", null, "ref d"), Case("e", 0.4, "ref e")] };

        FineTuningDataSet plain = FineTuningDataBuilder.FromEvaluationRun(run, "exact", 0.5);
        Assert.Equal(["a", "e"], plain.Examples.Select(e => e.Id));
        Assert.Equal([(ChatRole.User, "input a"), (ChatRole.Assistant, "ref a")], plain.Examples[0].Messages.Select(m => (m.Role, m.Text)));
        Assert.Equal(("2", "1", "1"), (plain.Provenance.Properties["selected"], plain.Provenance.Properties["no-reference"], plain.Provenance.Properties["no-score"]));

        FineTuningDataSet rendered = FineTuningDataBuilder.FromEvaluationRun(run, "exact", 0.5, PromptTemplate.Parse(Classify, "classify.prompty"));
        Assert.Equal(3, rendered.Examples[0].Messages.Count);
        Assert.Equal(ChatRole.System, rendered.Examples[0].Messages[0].Role);
        Assert.Equal("input a", rendered.Examples[0].Messages[1].Text);
    }
}
