using System.Text.Json;
using System.Text.RegularExpressions;

namespace AiEng.Retrieval;

/// <summary>Reads query rephrasings out of model output that may be a list, numbered lines, a JSON array of strings or prose.</summary>
internal static partial class GeneratedQueries
{
    /// <summary>
    /// Returns up to <paramref name="max"/> distinct queries from <paramref name="text"/> (one per line, bullets, numbering and
    /// quotes removed; a JSON array of strings is read as such), leaving out copies of <paramref name="original"/>.
    /// Never throws; unreadable output gives an empty list.
    /// </summary>
    public static IReadOnlyList<string> Parse(string? text, string original, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        IEnumerable<string> candidates = (IEnumerable<string>?)TryJsonArray(text) ?? text.Split('\n');
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { original.Trim() };
        var queries = new List<string>(max);
        foreach (string candidate in candidates)
        {
            string query = Clean(candidate);
            if (query.Length > 0 && !query.StartsWith("```", StringComparison.Ordinal) && !IsLabel(query) && seen.Add(query))
            {
                queries.Add(query);
                if (queries.Count == max)
                {
                    break;
                }
            }
        }

        return queries;
    }

    private static List<string>? TryJsonArray(string text)
    {
        int start = text.IndexOf('[', StringComparison.Ordinal);
        int end = text.LastIndexOf(']');
        if (start < 0 || end <= start)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text[start..(end + 1)], new JsonDocumentOptions { AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().Where(static e => e.ValueKind == JsonValueKind.String).Select(static e => e.GetString()!).ToList()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Clean(string line) => MarkerPattern().Replace(line.Trim(), string.Empty).Trim().Trim('"', '\'', '`', '“', '”').Trim();

    /// <summary>Whether a line is a heading the model wrote before its list, such as <c>Here are three rephrasings:</c>.</summary>
    private static bool IsLabel(string line) => line.EndsWith(':');

    [GeneratedRegex(@"^(?:[-*•]+|\d{1,2}[.)]|\(\d{1,2}\)|(?:query|rephrasing|q)\s*\d{0,2}\s*:)\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MarkerPattern();
}
