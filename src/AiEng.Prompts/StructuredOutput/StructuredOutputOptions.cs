using System.Text.Json;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>Options for <see cref="StructuredOutputChatClientExtensions.GetValidatedResponseAsync{T}"/>.</summary>
public sealed class StructuredOutputOptions
{
    /// <summary>Gets or sets how many times a response that fails validation is sent back to the model for repair. Default 2; 0 disables repair.</summary>
    public int MaxRepairAttempts { get; set; } = 2;

    /// <summary>Gets or sets the serializer options for the schema and the result. Default <see cref="AIJsonUtilities.DefaultOptions"/>.</summary>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the request asks the provider for JSON-schema constrained output
    /// (<see cref="ChatResponseFormat.ForJsonSchema(JsonElement, string?, string?)"/>). Default <see langword="true"/>;
    /// set <see langword="false"/> for models without native structured output (the schema then goes into the prompt).
    /// </summary>
    public bool UseJsonSchemaResponseFormat { get; set; } = true;

    internal StructuredOutputOptions CloneAndValidate()
    {
        Throw.IfLessThan(MaxRepairAttempts, 0);
        return new StructuredOutputOptions
        {
            MaxRepairAttempts = MaxRepairAttempts,
            SerializerOptions = SerializerOptions,
            UseJsonSchemaResponseFormat = UseJsonSchemaResponseFormat,
        };
    }
}
