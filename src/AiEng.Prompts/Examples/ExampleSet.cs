using System.Text;
using System.Text.Json;
using AiEng.Shared;

namespace AiEng.Prompts;

/// <summary>A list of few-shot examples, built in code or read from JSON lines.</summary>
/// <remarks>
/// A JSON lines file holds one object per line with string fields <c>input</c> and <c>output</c>, an optional <c>id</c>
/// (defaulting to the line number) and any other fields, which become <see cref="PromptExample.Metadata"/>. Blank lines
/// are skipped.
/// </remarks>
public sealed class ExampleSet
{
    /// <summary>Initializes a new instance of the <see cref="ExampleSet"/> class.</summary>
    /// <param name="examples">The examples.</param>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> or one of its items is <see langword="null"/>.</exception>
    public ExampleSet(IEnumerable<PromptExample> examples)
    {
        Throw.IfNull(examples);
        Examples = [.. examples.Select(e => Throw.IfNull(e, nameof(examples)))];
    }

    /// <summary>Gets the examples, in order.</summary>
    public IReadOnlyList<PromptExample> Examples { get; }

    /// <summary>Reads examples from a JSON lines file.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The examples.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="PromptException">A line is not a JSON object with string <c>input</c> and <c>output</c>; the message names the file and line.</exception>
    public static ExampleSet LoadJsonl(string path)
    {
        Throw.IfNullOrWhitespace(path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        return ReadJsonl(reader, path);
    }

    /// <summary>Reads examples from JSON lines.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="source">The name cited by errors (for example a file path).</param>
    /// <returns>The examples.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="PromptException">A line is not a JSON object with string <c>input</c> and <c>output</c>; the message names the line.</exception>
    public static ExampleSet ReadJsonl(TextReader reader, string? source = null)
    {
        Throw.IfNull(reader);
        var examples = new List<PromptExample>();
        int lineNumber = 0;
        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            examples.Add(ParseLine(line, lineNumber, source ?? "<jsonl>"));
        }

        return new ExampleSet(examples);
    }

    private static PromptExample ParseLine(string line, int lineNumber, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new PromptException($"Invalid JSON: {e.Message}", source, lineNumber, (int)(e.BytePositionInLine ?? 0) + 1, e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PromptException("An example must be a JSON object with 'input' and 'output'.", source, lineNumber, 1);
            }

            string input = RequiredString(root, "input", source, lineNumber);
            string output = RequiredString(root, "output", source, lineNumber);
            string id = root.TryGetProperty("id", out JsonElement idElement) ? idElement.ToString() : lineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Dictionary<string, object?>? metadata = null;
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (property.Name is not ("input" or "output" or "id"))
                {
                    metadata ??= new Dictionary<string, object?>(StringComparer.Ordinal);
                    metadata[property.Name] = property.Value.Clone();
                }
            }

            return new PromptExample(input, output) { Id = id, Metadata = metadata };
        }
    }

    private static string RequiredString(JsonElement root, string name, string source, int lineNumber)
        => root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new PromptException($"An example needs a string '{name}'.", source, lineNumber, 1);
}
