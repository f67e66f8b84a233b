using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace AiEng.Shared;

/// <summary>
/// Parses untrusted JSON text where a reader reports bad input: the parse and the check System.Text.Json leaves for later.
/// A <c>\uD800</c>–<c>\uDFFF</c> escape that is not half of a surrogate pair parses, but throws
/// <see cref="InvalidOperationException"/> when the string is read as text, far from the parse (found by fuzzing the JSON
/// readers), so the text is checked for one before it is parsed.
/// </summary>
internal static class JsonText
{
    /// <summary>
    /// Parses <paramref name="json"/>, or describes why it cannot be read as a phrase that follows a subject ("the line
    /// ..."): "holds an unpaired UTF-16 surrogate escape at character 7 (...)" or "is not valid JSON (...)".
    /// </summary>
    /// <param name="json">The text.</param>
    /// <param name="options">The parser's options.</param>
    /// <param name="document">The parsed document, to dispose; <see langword="null"/> when the text cannot be read.</param>
    /// <param name="problem">Why the text cannot be read; <see langword="null"/> when it was parsed.</param>
    /// <param name="exception">The parser's exception, when the text is not valid JSON.</param>
    /// <returns>Whether the text was parsed.</returns>
    public static bool TryParse(
        ReadOnlyMemory<char> json,
        JsonDocumentOptions options,
        [NotNullWhen(true)] out JsonDocument? document,
        [NotNullWhen(false)] out string? problem,
        out JsonException? exception)
    {
        document = null;
        exception = null;
        if (FindUnpairedSurrogate(json.Span) is int unpaired and >= 0)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"holds an unpaired UTF-16 surrogate escape at character {unpaired + 1} (an escape from \\uD800 to \\uDFFF must be half of a pair), so its text cannot be read");
            return false;
        }

        try
        {
            document = JsonDocument.Parse(json, options);
            problem = null;
            return true;
        }
        catch (JsonException ex)
        {
            exception = ex;
            problem = $"is not valid JSON ({ex.Message})";
            return false;
        }
    }

    /// <inheritdoc cref="TryParse(ReadOnlyMemory{char}, JsonDocumentOptions, out JsonDocument?, out string?, out JsonException?)"/>
    public static bool TryParse(string json, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out string? problem, out JsonException? exception) =>
        TryParse(json.AsMemory(), default, out document, out problem, out exception);

    /// <summary>Returns the offset of the first unpaired surrogate escape in <paramref name="json"/>, or -1 when there is none.</summary>
    public static int FindUnpairedSurrogate(ReadOnlySpan<char> json)
    {
        int i = json.IndexOf('\\');
        while (i >= 0 && i < json.Length - 1)
        {
            if (json[i + 1] != 'u')
            {
                i = Next(json, i + 2); // \\, \" and the other escapes: skip both characters.
                continue;
            }

            if (Surrogate(json, i) is not { } unit)
            {
                i = Next(json, i + 2);
                continue;
            }

            if (unit >= 0xDC00 || Surrogate(json, i + 6) is not (>= 0xDC00 and <= 0xDFFF))
            {
                return i;
            }

            i = Next(json, i + 12); // A high and a low surrogate: a pair.
        }

        return -1;
    }

    private static int Next(ReadOnlySpan<char> json, int from) =>
        from >= json.Length ? -1 : json[from..].IndexOf('\\') is int at and >= 0 ? from + at : -1;

    // The code unit of a \uXXXX escape at index when it is a surrogate (D800 to DFFF), else null.
    private static int? Surrogate(ReadOnlySpan<char> json, int index)
    {
        if (index + 5 >= json.Length || json[index] != '\\' || json[index + 1] != 'u'
            || !int.TryParse(json.Slice(index + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int unit))
        {
            return null;
        }

        return unit is >= 0xD800 and <= 0xDFFF ? unit : null;
    }
}
