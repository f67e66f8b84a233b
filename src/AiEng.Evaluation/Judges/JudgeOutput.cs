using System.Globalization;
using System.Text.Json;
using AiEng.Shared;

namespace AiEng.Evaluation;

/// <summary>
/// Tolerant parsing of judge model output: strips Markdown code fences, finds the first JSON object in surrounding prose,
/// and reads scores that may be numbers or numeric strings. Failures are reported as messages, never thrown.
/// </summary>
internal static class JudgeOutput
{
    /// <summary>
    /// Returns the body of the first Markdown code fence (<c>```json</c>, a newline, the body, <c>```</c>), trimmed, or the
    /// whole text trimmed when there is none. One pass over the text: the regular expression this replaces backtracked over
    /// long runs of whitespace and took seconds on 30 KB of hostile output (found by fuzzing the judge reader).
    /// </summary>
    public static string StripCodeFence(string text)
    {
        for (int open = text.IndexOf(Fence, StringComparison.Ordinal); open >= 0; open = text.IndexOf(Fence, open + 1, StringComparison.Ordinal))
        {
            // The fence's language (letters, digits, '_' and '-'), then whitespace holding a line break: the body starts
            // after the last line break of that whitespace.
            int i = open + Fence.Length;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-'))
            {
                i++;
            }

            int body = -1;
            for (; i < text.Length && char.IsWhiteSpace(text[i]); i++)
            {
                if (text[i] == '\n')
                {
                    body = i + 1;
                }
            }

            if (body < 0)
            {
                continue;
            }

            int close = text.IndexOf(Fence, body, StringComparison.Ordinal);
            if (close < 0)
            {
                break; // Nothing closes this fence, nor any later one.
            }

            return text[body..close].Trim();
        }

        return text.Trim();
    }

    /// <summary>How many opening braces are tried as the start of the object before the output is given up on.</summary>
    /// <remarks>Each try scans to its closing brace, so without a bound hostile output (thousands of nested braces) costs quadratic time.</remarks>
    internal const int MaxCandidates = 64;

    private const string Fence = "```";

    private static readonly JsonDocumentOptions LenientJson = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Finds and parses the first balanced JSON object in <paramref name="text"/>, trying at most <see cref="MaxCandidates"/> starts.</summary>
    public static bool TryParseObject(string text, out JsonElement root, out string error)
    {
        root = default;
        string body = StripCodeFence(text);
        int start = body.IndexOf('{', StringComparison.Ordinal);
        int candidates = 0;
        while (start >= 0)
        {
            if (++candidates > MaxCandidates)
            {
                error = $"The judge's output holds no JSON object among the first {MaxCandidates} opening braces (objects nested more than 64 levels deep are not read): \"{Truncate(text, 200)}\".";
                return false;
            }

            int end = FindClosingBrace(body, start);
            if (end < 0)
            {
                break;
            }

            // An object that is not valid JSON, or holds a lone surrogate escape, is passed over for the next one.
            if (JsonText.TryParse(body.AsMemory(start, end - start + 1), LenientJson, out JsonDocument? document, out _, out _))
            {
                using (document)
                {
                    root = document.RootElement.Clone();
                }

                error = string.Empty;
                return true;
            }

            start = body.IndexOf('{', start + 1);
        }

        error = $"The judge's output holds no JSON object: \"{Truncate(text, 200)}\".";
        return false;
    }

    /// <summary>Reads a finite number from a JSON number or a numeric string property.</summary>
    public static bool TryGetNumber(JsonElement root, string property, out double value)
    {
        value = 0;
        if (root.ValueKind != JsonValueKind.Object || !TryGetPropertyIgnoreCase(root, property, out var element))
        {
            return false;
        }

        bool parsed = element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetDouble(out value),
            JsonValueKind.String => double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
        return parsed && double.IsFinite(value);
    }

    public static string? GetString(JsonElement root, string property) =>
        root.ValueKind == JsonValueKind.Object && TryGetPropertyIgnoreCase(root, property, out var element)
            ? element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText()
            : null;

    public static bool TryGetPropertyIgnoreCase(JsonElement root, string property, out JsonElement value)
    {
        foreach (var candidate in root.EnumerateObject())
        {
            if (string.Equals(candidate.Name, property, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string Truncate(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "...");

    private static int FindClosingBrace(string text, int start)
    {
        int depth = 0;
        bool inString = false;
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
