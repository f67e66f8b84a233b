using System.Collections.Concurrent;
using System.Text.Json;
using AiEng.Shared;
using Json.Schema;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>
/// Structured output on top of MEAI's <c>GetResponseAsync&lt;T&gt;</c>: the reply is validated against the JSON schema
/// of <c>T</c> (JSON taken from a fenced code block when the model adds one), and on failure the validation errors are sent
/// back to the model for a bounded number of repair attempts.
/// </summary>
public static class StructuredOutputChatClientExtensions
{
    private static readonly ConcurrentDictionary<(Type, JsonSerializerOptions), (JsonElement Element, JsonSchema Schema)> Schemas = new();

    /// <summary>Gets a response as <typeparamref name="T"/>, validated against its JSON schema, repairing invalid replies.</summary>
    /// <typeparam name="T">The result type: an object type (class, record or struct with properties).</typeparam>
    /// <param name="client">The chat client.</param>
    /// <param name="messages">The conversation; it is not changed (repair turns are added to a copy).</param>
    /// <param name="options">The chat options; not changed.</param>
    /// <param name="structuredOutputOptions">Repair attempts and serialisation; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels the calls.</param>
    /// <returns>The validated result with the last response and the number of attempts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="StructuredOutputOptions.MaxRepairAttempts"/> is negative.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> does not have an object schema.</exception>
    /// <exception cref="StructuredOutputException">The last reply still fails validation; the exception lists every failure.</exception>
    public static async Task<StructuredResponse<T>> GetValidatedResponseAsync<T>(
        this IChatClient client,
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        StructuredOutputOptions? structuredOutputOptions = null,
        CancellationToken cancellationToken = default)
    {
        Throw.IfNull(client);
        Throw.IfNull(messages);
        StructuredOutputOptions settings = (structuredOutputOptions ?? new StructuredOutputOptions()).CloneAndValidate();
        JsonSerializerOptions serializerOptions = settings.SerializerOptions ?? AIJsonUtilities.DefaultOptions;
        (JsonElement schemaElement, JsonSchema schema) = GetSchema(typeof(T), serializerOptions);

        var history = new List<ChatMessage>(messages);
        UsageDetails? usage = null;
        for (int attempt = 1; ; attempt++)
        {
            ChatResponse<T> response = await client.GetResponseAsync<T>(
                history, serializerOptions, options, settings.UseJsonSchemaResponseFormat, cancellationToken).ConfigureAwait(false);
            usage = Add(usage, response.Usage);
            string text = response.Text;
            (T? value, List<string> errors) = Validate<T>(text, schema, serializerOptions);
            if (errors.Count == 0)
            {
                return new StructuredResponse<T>(value!, response, attempt, usage);
            }

            if (attempt > settings.MaxRepairAttempts)
            {
                throw new StructuredOutputException(typeof(T).Name, errors, text, attempt);
            }

            history.AddRange(response.Messages);
            history.Add(new ChatMessage(ChatRole.User, RepairPrompt(errors, schemaElement)));
        }
    }

    internal static (T? Value, List<string> Errors) Validate<T>(string text, JsonSchema schema, JsonSerializerOptions serializerOptions)
    {
        string json = JsonExtraction.Extract(text);
        if (!JsonText.TryParse(json, out JsonDocument? document, out string? problem, out _))
        {
            return (default, [$"(root): the reply {problem}."]);
        }

        using (document)
        {
            EvaluationResults results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!results.IsValid)
            {
                List<string> errors = [.. (results.Details ?? []).Prepend(results)
                    .Where(d => d.Errors is { Count: > 0 })
                    .SelectMany(d => d.Errors!.Select(e => $"{Location(d.InstanceLocation.ToString())}: {e.Value}"))
                    .Distinct(StringComparer.Ordinal)];
                return (default, errors.Count > 0 ? errors : ["(root): the value does not match the schema."]);
            }

            try
            {
                return (document.RootElement.Deserialize<T>(serializerOptions), []);
            }
            catch (JsonException e)
            {
                return (default, [$"{Location(e.Path)}: {e.Message}"]);
            }
        }
    }

    internal static JsonSchema GetSchemaFor(Type type, JsonSerializerOptions serializerOptions) => GetSchema(type, serializerOptions).Schema;

    private static (JsonElement Element, JsonSchema Schema) GetSchema(Type type, JsonSerializerOptions serializerOptions)
        => Schemas.GetOrAdd((type, serializerOptions), static key =>
        {
            JsonElement element = AIJsonUtilities.CreateJsonSchema(key.Item1, serializerOptions: key.Item2);
            if (!element.TryGetProperty("type", out JsonElement kind) || kind.ToString() != "object")
            {
                throw new NotSupportedException($"Structured output validation needs an object type; {key.Item1.Name} has schema type '{kind}'. Wrap it in a record with one property.");
            }

            return (element, JsonSchema.Build(element));
        });

    private static string Location(string? pointer) => string.IsNullOrEmpty(pointer) || pointer is "$" ? "(root)" : pointer;

    private static string RepairPrompt(List<string> errors, JsonElement schema)
        => "Your reply did not match the required JSON schema. Validation errors:\n- " + string.Join("\n- ", errors)
           + "\nReply again with only the corrected JSON, matching this schema:\n" + schema.GetRawText();

    private static UsageDetails? Add(UsageDetails? total, UsageDetails? usage)
    {
        if (usage is null)
        {
            return total;
        }

        total ??= new UsageDetails();
        total.Add(usage);
        return total;
    }
}
