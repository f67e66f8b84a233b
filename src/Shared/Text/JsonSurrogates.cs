namespace AiEng.Shared;

/// <summary>
/// Finds a <c>\uD800</c>–<c>\uDFFF</c> escape in JSON text that is not half of a surrogate pair. System.Text.Json parses
/// such a string but throws <see cref="InvalidOperationException"/> when it is read as text, far from the parse (found by
/// fuzzing the JSON readers), so the readers check the text once, where they report bad input.
/// </summary>
internal static class JsonSurrogates
{
    /// <summary>Returns the offset of the first unpaired surrogate escape in <paramref name="json"/>, or -1 when there is none.</summary>
    public static int FindUnpaired(ReadOnlySpan<char> json)
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
            || !int.TryParse(json.Slice(index + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out int unit))
        {
            return null;
        }

        return unit is >= 0xD800 and <= 0xDFFF ? unit : null;
    }
}
