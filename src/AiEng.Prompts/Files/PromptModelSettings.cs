using System.Text.Json;

namespace AiEng.Prompts;

/// <summary>The model settings a prompt file declares under <c>model:</c> (Prompty layout: <c>model.parameters.*</c>).</summary>
public sealed class PromptModelSettings
{
    /// <summary>Gets the model id (<c>model.configuration.name</c>, <c>.model</c> or <c>.azure_deployment</c>), if any.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the temperature (<c>temperature</c>).</summary>
    public float? Temperature { get; init; }

    /// <summary>Gets the maximum output tokens (<c>max_tokens</c> or <c>max_output_tokens</c>).</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Gets the nucleus sampling probability (<c>top_p</c>).</summary>
    public float? TopP { get; init; }

    /// <summary>Gets the frequency penalty (<c>frequency_penalty</c>).</summary>
    public float? FrequencyPenalty { get; init; }

    /// <summary>Gets the presence penalty (<c>presence_penalty</c>).</summary>
    public float? PresencePenalty { get; init; }

    /// <summary>Gets the seed (<c>seed</c>).</summary>
    public long? Seed { get; init; }

    /// <summary>Gets the stop sequences (<c>stop</c>).</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Gets the response format: <c>text</c>, <c>json_object</c> or <c>json_schema</c>; <see langword="null"/> when not declared.</summary>
    public string? ResponseFormat { get; init; }

    /// <summary>Gets the JSON schema for the <c>json_schema</c> response format (<c>response_format.json_schema.schema</c>).</summary>
    public JsonElement? ResponseSchema { get; init; }

    /// <summary>Gets the schema name for the <c>json_schema</c> response format.</summary>
    public string? ResponseSchemaName { get; init; }
}
