using System.Text.Json;
using AiEng.Inference;
using AiEng.Shared;
using Json.Schema;

namespace AiEng.Prompts;

/// <summary>
/// A cascade acceptance check that accepts an answer whose JSON validates against the schema of <typeparamref name="T"/> and
/// deserialises to it, with the validation of <see cref="StructuredOutputChatClientExtensions.GetValidatedResponseAsync{T}"/>.
/// </summary>
/// <typeparam name="T">The result type: an object type.</typeparam>
internal sealed class StructuredOutputAcceptanceCheck<T> : ICascadeAcceptanceCheck
{
    /// <summary>How many validation errors a rejection reason lists.</summary>
    private const int ErrorsInReason = 3;

    private readonly JsonSerializerOptions _serializerOptions;
    private readonly JsonSchema _schema;

    public StructuredOutputAcceptanceCheck(JsonSerializerOptions serializerOptions)
    {
        _serializerOptions = serializerOptions;
        _schema = StructuredOutputChatClientExtensions.GetSchemaFor(typeof(T), serializerOptions);
    }

    public ValueTask<CascadeVerdict> CheckAsync(CascadeAttempt attempt, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(attempt);
        (_, List<string> errors) = StructuredOutputChatClientExtensions.Validate<T>(attempt.Response.Text, _schema, _serializerOptions);
        if (errors.Count == 0)
        {
            return new(CascadeVerdict.Accept);
        }

        string more = errors.Count > ErrorsInReason ? $" (and {errors.Count - ErrorsInReason} more)" : string.Empty;
        return new(CascadeVerdict.Reject($"the answer is not a valid {typeof(T).Name}: {string.Join("; ", errors.Take(ErrorsInReason))}{more}"));
    }
}
