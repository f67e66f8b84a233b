using System.Text.Json;

namespace AiEng.Testing;

/// <summary>A chat completion request received by <see cref="OpenAITestServer"/>, as passed to its chat handler.</summary>
public sealed class OpenAITestChatRequest
{
    /// <summary>Initializes a new instance of the <see cref="OpenAITestChatRequest"/> class.</summary>
    /// <param name="model">The requested model.</param>
    /// <param name="messages">The messages.</param>
    /// <param name="body">The whole JSON request body.</param>
    public OpenAITestChatRequest(string model, IReadOnlyList<OpenAITestChatMessage> messages, JsonElement body)
    {
        Model = model;
        Messages = messages;
        Body = body;
    }

    /// <summary>Gets the requested model (<c>model</c>).</summary>
    public string Model { get; }

    /// <summary>Gets the messages (<c>messages</c>).</summary>
    public IReadOnlyList<OpenAITestChatMessage> Messages { get; }

    /// <summary>Gets a value indicating whether the client asked for a streamed answer (<c>stream</c>).</summary>
    public bool Stream { get; init; }

    /// <summary>Gets a value indicating whether a streaming client asked for a final usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>Gets the sampling temperature (<c>temperature</c>), if sent.</summary>
    public double? Temperature { get; init; }

    /// <summary>Gets the output token limit (<c>max_completion_tokens</c>, or the older <c>max_tokens</c>), if sent.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Gets the whole JSON request body, for options this type does not surface (tools, response format, seed...).</summary>
    public JsonElement Body { get; }

    /// <summary>Gets the content of the last message whose role is <c>user</c>, or an empty string when there is none.</summary>
    public string LastUserMessage => Messages.LastOrDefault(m => m.Role == "user")?.Content ?? string.Empty;
}
