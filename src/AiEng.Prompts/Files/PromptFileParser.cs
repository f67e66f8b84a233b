using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiEng.Prompts;

/// <summary>Reads the YAML front matter of a prompt file with YamlDotNet's representation model, keeping node positions for errors.</summary>
internal static class PromptFileParser
{
    public static PromptFile Parse(string text, string? source)
    {
        string hash = PromptFile.ComputeHash(text);
        string defaultName = source is null ? "prompt" : StripExtensions(Path.GetFileName(source));
        (string? yaml, string body, int bodyLine) = Split(text, source);
        if (yaml is null || string.IsNullOrWhiteSpace(yaml))
        {
            return new PromptFile(source, defaultName, null, "0", [], new PromptModelSettings(), [], new Dictionary<string, object?>(), body, bodyLine, hash);
        }

        YamlMappingNode root = LoadYaml(yaml, source);
        string name = defaultName;
        string? description = null;
        string version = "0";
        IReadOnlyList<string> authors = [];
        var model = new PromptModelSettings();
        IReadOnlyList<PromptInput> inputs = [];
        IReadOnlyDictionary<string, object?> sample = new Dictionary<string, object?>();
        foreach (KeyValuePair<YamlNode, YamlNode> entry in root.Children)
        {
            string key = KeyOf(entry.Key, source);
            switch (key)
            {
                case "name": name = Scalar(entry.Value, key, source); break;
                case "description": description = Scalar(entry.Value, key, source); break;
                case "version": version = Scalar(entry.Value, key, source); break;
                case "authors": authors = StringList(entry.Value, key, source); break;
                case "model": model = ReadModel(entry.Value, source); break;
                case "inputs": inputs = ReadInputs(entry.Value, source); break;
                case "sample": sample = ReadSample(entry.Value, source); break;
                case "template": CheckTemplateFormat(entry.Value, source); break;
                default: break; // Other Prompty keys (outputs, tags, base, metadata) are accepted and ignored.
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw Error("'name' must not be empty.", root, source);
        }

        return new PromptFile(source, name, description, version, authors, model, inputs, sample, body, bodyLine, hash);
    }

    internal static PromptException Error(string message, YamlNode node, string? source)
        => new(message, source, (int)node.Start.Line + 1, (int)node.Start.Column);

    private static string StripExtensions(string fileName)
    {
        int dot = fileName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? fileName[..dot] : fileName;
    }

    // Splits "---\n<yaml>\n---\n<body>". Returns the YAML text (null when the file has no front matter), the body and the
    // 1-based line on which the body starts. YAML line numbers are offset by one (the opening delimiter).
    private static (string? Yaml, string Body, int BodyLine) Split(string text, string? source)
    {
        string normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (normalized.StartsWith('\uFEFF'))
        {
            normalized = normalized[1..];
        }

        if (!normalized.StartsWith("---\n", StringComparison.Ordinal) && normalized != "---")
        {
            return (null, normalized, 1);
        }

        int line = 2;
        int position = 4;
        while (position <= normalized.Length)
        {
            int end = normalized.IndexOf('\n', position);
            string current = end < 0 ? normalized[position..] : normalized[position..end];
            if (current.TrimEnd() == "---")
            {
                string yaml = normalized[4..position];
                string body = end < 0 ? string.Empty : normalized[(end + 1)..];
                return (yaml, body, line + 1);
            }

            if (end < 0)
            {
                break;
            }

            position = end + 1;
            line++;
        }

        throw new PromptException("The front matter opened with '---' on line 1 is never closed by a '---' line.", source, 1, 1);
    }

    private static YamlMappingNode LoadYaml(string yaml, string? source)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new PromptException("Invalid YAML front matter: " + e.Message, source, (int)e.Start.Line + 1, (int)e.Start.Column, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet reports some malformed documents this way, without a position: an unclosed flow sequence
            // (InvalidOperationException), or a node where its representation model expects none, such as an empty key
            // in a block mapping (ArgumentException "The current event is of an unsupported type", found by fuzzing).
            // The parser's current event tells where it stopped.
            Mark at = parser.Current?.Start ?? Mark.Empty;
            throw new PromptException(
                "Invalid YAML front matter: " + e.Message + " The reader stopped at this line; check the keys and values up to it: every key needs a name followed by ':'.",
                source, Math.Max(1, (int)at.Line) + 1, Math.Max(1, (int)at.Column), e);
        }

        if (stream.Documents.Count == 0)
        {
            throw new PromptException("The front matter is empty.", source, 2, 1);
        }

        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new PromptException("The front matter must be a YAML mapping (key: value lines).", source, 2, 1);
    }

    private static string KeyOf(YamlNode key, string? source)
        => key is YamlScalarNode { Value: { } value } ? value : throw Error("Keys must be plain names.", key, source);

    private static string Scalar(YamlNode node, string key, string? source)
        => node is YamlScalarNode scalar ? scalar.Value ?? string.Empty : throw Error($"'{key}' must be a single value.", node, source);

    private static IReadOnlyList<string> StringList(YamlNode node, string key, string? source) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlSequenceNode sequence => [.. sequence.Children.Select(item => Scalar(item, key, source))],
        _ => throw Error($"'{key}' must be a value or a list of values.", node, source),
    };

    private static void CheckTemplateFormat(YamlNode node, string? source)
    {
        string? format = node switch
        {
            YamlScalarNode scalar => scalar.Value,
            YamlMappingNode map => map.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "format" }).Value is YamlScalarNode f ? f.Value : null,
            _ => null,
        };
        if (format is not null && !format.Equals("liquid", StringComparison.OrdinalIgnoreCase) && !format.Equals("jinja2", StringComparison.OrdinalIgnoreCase))
        {
            throw Error($"Template format '{format}' is not supported: AiEng renders Liquid ('liquid'; 'jinja2' is accepted for Prompty files whose syntax is Liquid-compatible).", node, source);
        }
    }

    private static PromptModelSettings ReadModel(YamlNode node, string? source)
    {
        if (node is not YamlMappingNode map)
        {
            throw Error("'model' must be a mapping with 'configuration' and 'parameters'.", node, source);
        }

        string? modelId = null;
        YamlMappingNode? parameters = null;
        foreach (KeyValuePair<YamlNode, YamlNode> entry in map.Children)
        {
            string key = KeyOf(entry.Key, source);
            if (key == "configuration" && entry.Value is YamlMappingNode configuration)
            {
                foreach (KeyValuePair<YamlNode, YamlNode> c in configuration.Children)
                {
                    string ck = KeyOf(c.Key, source);
                    if (ck is "name" or "model" or "azure_deployment" or "model_id")
                    {
                        modelId = Scalar(c.Value, ck, source);
                    }
                }
            }
            else if (key == "parameters")
            {
                parameters = entry.Value as YamlMappingNode ?? throw Error("'model.parameters' must be a mapping.", entry.Value, source);
            }
        }

        if (parameters is null)
        {
            return new PromptModelSettings { ModelId = modelId };
        }

        float? temperature = null, topP = null, frequency = null, presence = null;
        int? maxTokens = null;
        long? seed = null;
        IReadOnlyList<string> stop = [];
        string? format = null;
        string? schemaName = null;
        JsonElement? schema = null;
        foreach (KeyValuePair<YamlNode, YamlNode> entry in parameters.Children)
        {
            string key = KeyOf(entry.Key, source);
            switch (key)
            {
                case "temperature": temperature = (float)Number(entry.Value, key, source); break;
                case "top_p": topP = (float)Number(entry.Value, key, source); break;
                case "frequency_penalty": frequency = (float)Number(entry.Value, key, source); break;
                case "presence_penalty": presence = (float)Number(entry.Value, key, source); break;
                case "max_tokens" or "max_output_tokens" or "max_completion_tokens": maxTokens = (int)Integer(entry.Value, key, source); break;
                case "seed": seed = Integer(entry.Value, key, source); break;
                case "stop": stop = StringList(entry.Value, key, source); break;
                case "response_format": (format, schemaName, schema) = ReadResponseFormat(entry.Value, source); break;
                default: throw Error($"Unknown model parameter '{key}'. Known: temperature, top_p, frequency_penalty, presence_penalty, max_tokens, seed, stop, response_format.", entry.Key, source);
            }
        }

        return new PromptModelSettings
        {
            ModelId = modelId, Temperature = temperature, TopP = topP, FrequencyPenalty = frequency, PresencePenalty = presence,
            MaxOutputTokens = maxTokens, Seed = seed, StopSequences = stop, ResponseFormat = format, ResponseSchemaName = schemaName, ResponseSchema = schema,
        };
    }

    private static (string Format, string? SchemaName, JsonElement? Schema) ReadResponseFormat(YamlNode node, string? source)
    {
        string? type;
        string? name = null;
        JsonElement? schema = null;
        if (node is YamlScalarNode scalar)
        {
            type = scalar.Value;
        }
        else if (node is YamlMappingNode map)
        {
            type = map.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "type" }).Value is YamlScalarNode t ? t.Value : null;
            if (map.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "json_schema" }).Value is YamlMappingNode js)
            {
                name = js.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "name" }).Value is YamlScalarNode n ? n.Value : null;
                YamlNode? schemaNode = js.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "schema" }).Value;
                if (schemaNode is not null)
                {
                    schema = JsonSerializer.SerializeToElement(ToPlain(schemaNode, source), AIJsonUtilities.DefaultOptions);
                }
            }
        }
        else
        {
            throw Error("'response_format' must be 'text', 'json_object' or a mapping with 'type'.", node, source);
        }

        if (type is not ("text" or "json_object" or "json_schema"))
        {
            throw Error($"Unknown response_format type '{type}'. Known: text, json_object, json_schema.", node, source);
        }

        if (type == "json_schema" && schema is null)
        {
            throw Error("response_format 'json_schema' needs 'json_schema: { name, schema }'.", node, source);
        }

        return (type, name, schema);
    }

    private static IReadOnlyList<PromptInput> ReadInputs(YamlNode node, string? source)
    {
        if (node is not YamlMappingNode map)
        {
            throw Error("'inputs' must be a mapping of input names to their declarations.", node, source);
        }

        var inputs = new List<PromptInput>();
        foreach (KeyValuePair<YamlNode, YamlNode> entry in map.Children)
        {
            string name = KeyOf(entry.Key, source);
            int line = (int)entry.Key.Start.Line + 1;
            if (entry.Value is not YamlMappingNode declaration)
            {
                // Prompty shorthand: "name: sample value" declares an optional input with that default.
                object? value = ToPlain(entry.Value, source);
                inputs.Add(new PromptInput(name, InferType(value), false, value, true, null, null, line));
                continue;
            }

            PromptInputType type = PromptInputType.Any;
            bool required = false, hasDefault = false;
            object? defaultValue = null;
            string? description = null;
            int? priority = null;
            foreach (KeyValuePair<YamlNode, YamlNode> field in declaration.Children)
            {
                string key = KeyOf(field.Key, source);
                switch (key)
                {
                    case "type": type = ParseType(field.Value, source); break;
                    case "required": required = Boolean(field.Value, key, source); break;
                    case "default": defaultValue = ToPlain(field.Value, source); hasDefault = true; break;
                    case "description": description = Scalar(field.Value, key, source); break;
                    case "priority": priority = (int)Integer(field.Value, key, source); break;
                    case "sample": break;
                    default: throw Error($"Unknown field '{key}' in input '{name}'. Known: type, required, default, description, priority, sample.", field.Key, source);
                }
            }

            if (hasDefault && !PromptInputValidator.Matches(type, defaultValue))
            {
                throw Error($"The default of input '{name}' is not of its type '{type.ToString().ToLowerInvariant()}'.", declaration, source);
            }

            inputs.Add(new PromptInput(name, type, required, defaultValue, hasDefault, description, priority, line));
        }

        return inputs;
    }

    private static IReadOnlyDictionary<string, object?> ReadSample(YamlNode node, string? source)
        => ToPlain(node, source) as Dictionary<string, object?>
           ?? throw Error("'sample' must be a mapping of input names to values.", node, source);

    private static PromptInputType ParseType(YamlNode node, string? source) => Scalar(node, "type", source).ToLowerInvariant() switch
    {
        "string" => PromptInputType.String,
        "number" or "float" or "double" => PromptInputType.Number,
        "integer" or "int" => PromptInputType.Integer,
        "boolean" or "bool" => PromptInputType.Boolean,
        "array" or "list" => PromptInputType.Array,
        "object" => PromptInputType.Object,
        "any" => PromptInputType.Any,
        string other => throw Error($"Unknown input type '{other}'. Known: string, number, integer, boolean, array, object, any.", node, source),
    };

    private static PromptInputType InferType(object? value) => value switch
    {
        string => PromptInputType.String,
        long => PromptInputType.Integer,
        double => PromptInputType.Number,
        bool => PromptInputType.Boolean,
        List<object?> => PromptInputType.Array,
        Dictionary<string, object?> => PromptInputType.Object,
        _ => PromptInputType.Any,
    };

    private static double Number(YamlNode node, string key, string? source)
        => node is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            ? d
            : throw Error($"'{key}' must be a number.", node, source);

    private static long Integer(YamlNode node, string key, string? source)
        => node is YamlScalarNode { Value: { } v } && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l)
            ? l
            : throw Error($"'{key}' must be an integer.", node, source);

    private static bool Boolean(YamlNode node, string key, string? source)
        => node is YamlScalarNode { Value: { } v } && bool.TryParse(v, out bool b)
            ? b
            : throw Error($"'{key}' must be true or false.", node, source);

    // Converts a YAML node to plain data: string, long, double, bool, null, List<object?>, Dictionary<string, object?>.
    // Quoted scalars stay strings; plain scalars are typed as YAML 1.2 core schema does.
    internal static object? ToPlain(YamlNode node, string? source)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                string? value = scalar.Value;
                if (scalar.Style is not ScalarStyle.Plain || value is null)
                {
                    return value;
                }

                if (value is "null" or "~" or "")
                {
                    return null;
                }

                if (value is "true" or "True" or "false" or "False")
                {
                    return bool.Parse(value);
                }

                if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
                {
                    return integer;
                }

                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                {
                    return number;
                }

                return value;
            case YamlSequenceNode sequence:
                return sequence.Children.Select(child => ToPlain(child, source)).ToList();
            case YamlMappingNode map:
                var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (KeyValuePair<YamlNode, YamlNode> entry in map.Children)
                {
                    dictionary[KeyOf(entry.Key, source)] = ToPlain(entry.Value, source);
                }

                return dictionary;
            default:
                throw Error("Aliases and other YAML node kinds are not supported here.", node, source);
        }
    }
}
