using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>
/// Reads and writes OpenAI's fine-tuning JSON: chat examples (<c>{"messages":[...],"tools":[...]}</c>) and preference
/// examples (<c>{"input":{"messages":[...]},"preferred_output":[...],"non_preferred_output":[...]}</c>), mapped to and
/// from Microsoft.Extensions.AI messages. Problems throw <see cref="JsonFieldException"/> naming the field as a JSON path.
/// </summary>
internal static class OpenAIChatFormat
{
    // MEAI's defaults (which serialize JsonElement and common .NET types) without indentation: arguments are one line.
    private static readonly JsonSerializerOptions CompactJson = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private static readonly string[] MessageFields = ["role", "content", "name", "tool_calls", "tool_call_id", "weight"];
    private static readonly string[] ExampleFields = ["messages", "tools", "parallel_tool_calls"];
    private static readonly string[] PreferenceFields = ["input", "preferred_output", "non_preferred_output"];

    public static FineTuningExample ParseExample(JsonElement root, string? id)
    {
        RequireObject(root, null);
        CheckFields(root, null, ExampleFields);
        JsonElement messages = Required(root, "messages", null);
        return new FineTuningExample(ParseMessages(messages, "messages"))
        {
            Tools = root.TryGetProperty("tools", out JsonElement tools) ? ParseTools(tools, "tools") : [],
            Id = id,
        };
    }

    public static PreferenceExample ParsePreference(JsonElement root, string? id)
    {
        RequireObject(root, null);
        CheckFields(root, null, PreferenceFields);
        JsonElement input = Required(root, "input", null);
        RequireObject(input, "input");
        CheckFields(input, "input", ExampleFields);
        IList<ChatMessage> messages = ParseMessages(Required(input, "messages", "input"), "input.messages");
        ChatMessage preferred = ParseOutput(Required(root, "preferred_output", null), "preferred_output");
        ChatMessage rejected = ParseOutput(Required(root, "non_preferred_output", null), "non_preferred_output");
        return new PreferenceExample(messages, preferred, rejected)
        {
            Tools = input.TryGetProperty("tools", out JsonElement tools) ? ParseTools(tools, "input.tools") : [],
            Id = id,
        };
    }

    public static void WriteExample(Utf8JsonWriter writer, FineTuningExample example)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("messages");
        WriteMessages(writer, example.Messages);
        WriteTools(writer, example.Tools);
        writer.WriteEndObject();
    }

    public static void WritePreference(Utf8JsonWriter writer, PreferenceExample example)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("input");
        writer.WritePropertyName("messages");
        WriteMessages(writer, example.Input);
        WriteTools(writer, example.Tools);
        writer.WriteEndObject();
        writer.WritePropertyName("preferred_output");
        WriteMessages(writer, [example.Preferred]);
        writer.WritePropertyName("non_preferred_output");
        WriteMessages(writer, [example.NonPreferred]);
        writer.WriteEndObject();
    }

    private static ChatMessage ParseOutput(JsonElement output, string path)
    {
        IList<ChatMessage> messages = ParseMessages(output, path);
        if (messages.Count != 1 || messages[0].Role != ChatRole.Assistant)
        {
            throw new JsonFieldException(path, "expected an array of exactly one assistant message");
        }

        return messages[0];
    }

    private static List<ChatMessage> ParseMessages(JsonElement messages, string path)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw new JsonFieldException(path, $"expected an array of messages, found {Kind(messages)}");
        }

        var result = new List<ChatMessage>(messages.GetArrayLength());
        int index = 0;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            result.Add(ParseMessage(message, $"{path}[{index++}]"));
        }

        return result;
    }

    private static ChatMessage ParseMessage(JsonElement message, string path)
    {
        RequireObject(message, path);
        CheckFields(message, path, MessageFields);
        string role = RequiredString(message, "role", path);
        ChatRole chatRole = role switch
        {
            "system" => ChatRole.System,
            "developer" => new ChatRole("developer"),
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            "tool" => ChatRole.Tool,
            _ => throw new JsonFieldException(path + ".role", $"unknown role '{role}'; use system, developer, user, assistant or tool"),
        };

        var contents = new List<AIContent>();
        string? text = ParseContent(message, path);
        var chat = new ChatMessage(chatRole, contents);
        if (chatRole == ChatRole.Tool)
        {
            string callId = RequiredString(message, "tool_call_id", path);
            contents.Add(new FunctionResultContent(callId, text ?? string.Empty));
        }
        else
        {
            if (text is not null)
            {
                contents.Add(new TextContent(text));
            }

            if (message.TryGetProperty("tool_call_id", out _))
            {
                throw new JsonFieldException(path + ".tool_call_id", "only a tool message has a tool_call_id");
            }
        }

        if (message.TryGetProperty("tool_calls", out JsonElement calls))
        {
            if (chatRole != ChatRole.Assistant)
            {
                throw new JsonFieldException(path + ".tool_calls", "only an assistant message has tool_calls");
            }

            contents.AddRange(ParseToolCalls(calls, path + ".tool_calls"));
        }

        if (message.TryGetProperty("name", out JsonElement name))
        {
            chat.AuthorName = name.ValueKind == JsonValueKind.String ? name.GetString() : throw new JsonFieldException(path + ".name", $"expected a string, found {Kind(name)}");
        }

        if (message.TryGetProperty("weight", out JsonElement weight))
        {
            if (chatRole != ChatRole.Assistant)
            {
                throw new JsonFieldException(path + ".weight", "only an assistant message has a weight");
            }

            if (weight.ValueKind != JsonValueKind.Number || !weight.TryGetInt32(out int value) || value is not (0 or 1))
            {
                throw new JsonFieldException(path + ".weight", $"expected 0 or 1, found {weight.GetRawText()}");
            }

            FineTuningExample.SetWeight(chat, value);
        }

        return chat;
    }

    private static string? ParseContent(JsonElement message, string path)
    {
        if (!message.TryGetProperty("content", out JsonElement content) || content.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new JsonFieldException(path + ".content", $"expected a string or an array of text parts, found {Kind(content)}");
        }

        var text = new System.Text.StringBuilder();
        int index = 0;
        foreach (JsonElement part in content.EnumerateArray())
        {
            string partPath = $"{path}.content[{index++}]";
            RequireObject(part, partPath);
            string type = RequiredString(part, "type", partPath);
            if (type != "text")
            {
                throw new JsonFieldException(partPath + ".type", $"only text parts are supported, found '{type}'");
            }

            text.Append(RequiredString(part, "text", partPath));
        }

        return text.ToString();
    }

    private static List<AIContent> ParseToolCalls(JsonElement calls, string path)
    {
        if (calls.ValueKind != JsonValueKind.Array)
        {
            throw new JsonFieldException(path, $"expected an array of tool calls, found {Kind(calls)}");
        }

        var result = new List<AIContent>();
        int index = 0;
        foreach (JsonElement call in calls.EnumerateArray())
        {
            string callPath = $"{path}[{index++}]";
            RequireObject(call, callPath);
            string id = RequiredString(call, "id", callPath);
            if (call.TryGetProperty("type", out JsonElement type) && !(type.ValueKind == JsonValueKind.String && type.GetString() == "function"))
            {
                throw new JsonFieldException(callPath + ".type", $"expected \"function\", found {type.GetRawText()}");
            }

            JsonElement function = Required(call, "function", callPath);
            RequireObject(function, callPath + ".function");
            string name = RequiredString(function, "name", callPath + ".function");
            string arguments = RequiredString(function, "arguments", callPath + ".function");
            result.Add(new FunctionCallContent(id, name, ParseArguments(arguments, callPath + ".function.arguments")));
        }

        return result;
    }

    private static Dictionary<string, object?> ParseArguments(string arguments, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(arguments);
        }
        catch (JsonException ex)
        {
            throw new JsonFieldException(path, $"the arguments are not valid JSON ({ex.Message}); they must be a JSON object encoded as a string", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonFieldException(path, $"the arguments must be a JSON object, found {Kind(document.RootElement)}");
            }

            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                result[property.Name] = property.Value.Clone();
            }

            return result;
        }
    }

    private static List<AIFunctionDeclaration> ParseTools(JsonElement tools, string path)
    {
        if (tools.ValueKind != JsonValueKind.Array)
        {
            throw new JsonFieldException(path, $"expected an array of tools, found {Kind(tools)}");
        }

        var result = new List<AIFunctionDeclaration>();
        int index = 0;
        foreach (JsonElement tool in tools.EnumerateArray())
        {
            string toolPath = $"{path}[{index++}]";
            RequireObject(tool, toolPath);
            string type = RequiredString(tool, "type", toolPath);
            if (type != "function")
            {
                throw new JsonFieldException(toolPath + ".type", $"only function tools are supported, found '{type}'");
            }

            JsonElement function = Required(tool, "function", toolPath);
            RequireObject(function, toolPath + ".function");
            string name = RequiredString(function, "name", toolPath + ".function");
            string? description = function.TryGetProperty("description", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            JsonElement parameters = function.TryGetProperty("parameters", out JsonElement p) ? p.Clone() : JsonDocument.Parse("{\"type\":\"object\",\"properties\":{}}").RootElement.Clone();
            if (parameters.ValueKind != JsonValueKind.Object)
            {
                throw new JsonFieldException(toolPath + ".function.parameters", $"expected a JSON schema object, found {Kind(parameters)}");
            }

            result.Add(AIFunctionFactory.CreateDeclaration(name, description, parameters));
        }

        return result;
    }

    private static void WriteMessages(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages)
    {
        writer.WriteStartArray();
        foreach (ChatMessage message in messages)
        {
            WriteMessage(writer, message);
        }

        writer.WriteEndArray();
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("role", message.Role.Value);
        if (message.Role == ChatRole.Tool)
        {
            FunctionResultContent? result = message.Contents.OfType<FunctionResultContent>().FirstOrDefault();
            writer.WriteString("tool_call_id", result?.CallId);
            writer.WriteString("content", result is null ? message.Text : ResultText(result.Result));
        }
        else
        {
            bool hasText = message.Contents.Any(static c => c is TextContent);
            var calls = message.Contents.OfType<FunctionCallContent>().ToList();
            if (hasText || calls.Count == 0)
            {
                writer.WriteString("content", message.Text);
            }

            if (calls.Count > 0)
            {
                writer.WriteStartArray("tool_calls");
                foreach (FunctionCallContent call in calls)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", call.CallId);
                    writer.WriteString("type", "function");
                    writer.WriteStartObject("function");
                    writer.WriteString("name", call.Name);
                    writer.WriteString("arguments", JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), CompactJson.GetTypeInfo(typeof(IDictionary<string, object?>))));
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }
        }

        if (!string.IsNullOrEmpty(message.AuthorName))
        {
            writer.WriteString("name", message.AuthorName);
        }

        if (message.Role == ChatRole.Assistant && FineTuningExample.GetWeight(message) is int weight)
        {
            writer.WriteNumber("weight", weight);
        }

        writer.WriteEndObject();
    }

    private static void WriteTools(Utf8JsonWriter writer, IList<AIFunctionDeclaration> tools)
    {
        if (tools.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("tools");
        foreach (AIFunctionDeclaration tool in tools)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", tool.Name);
            if (!string.IsNullOrEmpty(tool.Description))
            {
                writer.WriteString("description", tool.Description);
            }

            writer.WritePropertyName("parameters");
            tool.JsonSchema.WriteTo(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The text of a tool result as the training file holds it: a string as is, anything else as JSON.</summary>
    internal static string ResultText(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement e when e.ValueKind == JsonValueKind.String => e.GetString()!,
        _ => JsonSerializer.Serialize(result, CompactJson.GetTypeInfo(typeof(object))),
    };

    private static void RequireObject(JsonElement element, string? path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonFieldException(path, $"expected a JSON object, found {Kind(element)}");
        }
    }

    private static void CheckFields(JsonElement element, string? path, string[] allowed)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new JsonFieldException(Join(path, property.Name), $"unknown field '{property.Name}'; expected {string.Join(", ", allowed)}");
            }
        }
    }

    private static JsonElement Required(JsonElement element, string name, string? path) =>
        element.TryGetProperty(name, out JsonElement value) ? value : throw new JsonFieldException(Join(path, name), "the field is missing");

    private static string RequiredString(JsonElement element, string name, string? path)
    {
        JsonElement value = Required(element, name, path);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new JsonFieldException(Join(path, name), $"expected a string, found {Kind(value)}");
    }

    private static string Join(string? path, string name) => path is null ? name : path + "." + name;

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
