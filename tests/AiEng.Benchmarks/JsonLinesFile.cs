using System.Text.Json;

namespace AiEng.Benchmarks;

/// <summary>Reads the benchmarks' labelled JSON-lines files, with errors that name the file, line and field.</summary>
internal static class JsonLinesFile
{
    /// <summary>Reads one record a non-blank line with <paramref name="parse"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="missingHint">What to do when the file is missing, for example which option names the directory.</param>
    /// <param name="parse">Makes a record of a line's JSON object; throws <see cref="FormatException"/> on an invalid field.</param>
    /// <exception cref="ArgumentException">The file is missing, or a line is not a valid record; the message names the file, line and field.</exception>
    public static IReadOnlyList<T> Load<T>(string path, string missingHint, Func<JsonElement, T> parse)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"The file '{path}' does not exist; {missingHint}");
        }

        var records = new List<T>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                records.Add(parse(document.RootElement));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
            {
                throw new ArgumentException($"{path}, line {number}: {ex.Message}", ex);
            }
        }

        return records;
    }

    /// <summary>Gets a string field that must be present and not empty.</summary>
    public static string Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"field '{name}' is missing or empty");
}
