using System.Text.Json;
using AiEng.Shared;
using Json.Schema;
using EvaluationContext = Microsoft.Extensions.AI.Evaluation.EvaluationContext;
using EvaluationOptions = Json.Schema.EvaluationOptions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// Checks that the response is JSON (<c>JSON Valid</c>: 1 or 0) and, when a JSON schema is given, that it conforms to it
/// (<c>JSON Schema</c>: 1 or 0, with the first violations as the reason). A response wrapped in a Markdown code fence is
/// accepted, as models often fence JSON.
/// </summary>
public sealed class JsonEvaluator : IEvaluator
{
    /// <summary>The validity metric name: <c>JSON Valid</c>.</summary>
    public const string ValidMetricName = "JSON Valid";

    /// <summary>The schema conformance metric name: <c>JSON Schema</c>.</summary>
    public const string SchemaMetricName = "JSON Schema";

    private readonly JsonSchema? _schema;

    /// <summary>Initializes a new instance of the <see cref="JsonEvaluator"/> class.</summary>
    /// <param name="schema">A JSON schema (draft 2020-12 by default) the response must conform to, or <see langword="null"/> to check validity only.</param>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a valid JSON schema.</exception>
    public JsonEvaluator(string? schema = null)
    {
        if (schema is not null)
        {
            try
            {
                _schema = JsonSchema.FromText(schema);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
            {
                throw new ArgumentException($"The JSON schema is not valid: {ex.Message}", nameof(schema), ex);
            }
        }

        EvaluationMetricNames = _schema is null ? [ValidMetricName] : [ValidMetricName, SchemaMetricName];
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; }

    /// <inheritdoc />
    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(modelResponse);
        string text = JudgeOutput.StripCodeFence(modelResponse.Text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            var invalid = EvaluatorSupport.Scored(ValidMetricName, 0, $"Not JSON: {ex.Message}");
            return _schema is null
                ? EvaluatorSupport.Result(invalid)
                : EvaluatorSupport.Result(invalid, EvaluatorSupport.Scored(SchemaMetricName, 0, "The response is not JSON, so it cannot conform to the schema."));
        }

        using (document)
        {
            var valid = EvaluatorSupport.Scored(ValidMetricName, 1, "The response is JSON.");
            if (_schema is null)
            {
                return EvaluatorSupport.Result(valid);
            }

            var results = _schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            string reason = results.IsValid ? "The response conforms to the schema." : "Schema violations: " + string.Join("; ", Violations(results).Take(5));
            return EvaluatorSupport.Result(valid, EvaluatorSupport.Scored(SchemaMetricName, results.IsValid ? 1 : 0, reason));
        }
    }

    private static IEnumerable<string> Violations(EvaluationResults results)
    {
        foreach (var node in (IEnumerable<EvaluationResults>)[results, .. results.Details ?? []])
        {
            if (node.Errors is { } errors)
            {
                foreach (var error in errors)
                {
                    yield return $"{node.InstanceLocation} {error.Key}: {error.Value}";
                }
            }
        }
    }
}
