using System.Collections;
using System.Collections.Concurrent;
using System.Text.Json;

namespace AiEng.Prompts;

/// <summary>Checks input values against the declared input types.</summary>
internal static class PromptInputValidator
{
    // Whether a type implements IReadOnlyDictionary<,>, cached: the interface scan allocates and renders are hot.
    private static readonly ConcurrentDictionary<Type, bool> IsDictionary = new();

    public static bool Matches(PromptInputType type, object? value) => value is null || type switch
    {
        PromptInputType.Any => true,
        PromptInputType.String => value is string or JsonElement { ValueKind: JsonValueKind.String },
        PromptInputType.Number => IsNumber(value) || value is JsonElement { ValueKind: JsonValueKind.Number },
        PromptInputType.Integer => IsInteger(value) || value is JsonElement { ValueKind: JsonValueKind.Number } e && e.TryGetInt64(out _),
        PromptInputType.Boolean => value is bool or JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False },
        PromptInputType.Array => value is JsonElement { ValueKind: JsonValueKind.Array } || (value is IEnumerable && value is not string && value is not IDictionary && !IsGenericDictionary(value)),
        PromptInputType.Object => value is JsonElement { ValueKind: JsonValueKind.Object } || value is IDictionary || IsGenericDictionary(value)
            || (value is not string && value is not IEnumerable && !IsNumber(value) && value is not bool and not JsonElement),
        _ => false,
    };

    public static string Describe(object? value) => value switch
    {
        null => "null",
        JsonElement e => "JSON " + e.ValueKind.ToString().ToLowerInvariant(),
        _ => value.GetType().Name,
    };

    private static bool IsInteger(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong;

    private static bool IsNumber(object value) => IsInteger(value) || value is float or double or decimal or Half;

    private static bool IsGenericDictionary(object value)
        => value is not (string or Array) && IsDictionary.GetOrAdd(
            value.GetType(),
            static type => type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));
}
