using AiEng.Evaluation;

namespace AiEng.Tests.Evaluation.Deterministic;

public sealed class JsonEvaluatorTests
{
    private const string Schema = """
        { "type": "object", "required": ["name", "age"],
          "properties": { "name": { "type": "string" }, "age": { "type": "integer", "minimum": 0 } } }
        """;

    [Fact]
    public async Task Accepts_json_inside_a_code_fence_and_rejects_prose()
    {
        var evaluator = new JsonEvaluator();
        Assert.Equal(1, await EvalCall.ValueAsync(evaluator, "```json\n{\"a\": 1}\n```", JsonEvaluator.ValidMetricName));
        var invalid = await EvalCall.ScoreAsync(evaluator, "{a: 1", JsonEvaluator.ValidMetricName);
        Assert.Equal(0, invalid.Value);
        Assert.StartsWith("Not JSON", invalid.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checks_schema_conformance_and_names_the_violating_location()
    {
        var evaluator = new JsonEvaluator(Schema);
        Assert.Equal(1, await EvalCall.ValueAsync(evaluator, """{"name":"Ada","age":36}""", JsonEvaluator.SchemaMetricName));
        var violation = await EvalCall.ScoreAsync(evaluator, """{"name":"Ada","age":-1}""", JsonEvaluator.SchemaMetricName);
        Assert.Equal(0, violation.Value);
        Assert.Contains("/age", violation.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await EvalCall.ValueAsync(evaluator, "not json", JsonEvaluator.SchemaMetricName));
    }

    [Fact]
    public void Rejects_an_invalid_schema()
    {
        Assert.Throws<ArgumentException>(() => new JsonEvaluator("{ not a schema"));
    }
}
