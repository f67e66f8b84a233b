using System.Globalization;
using System.Text;
using System.Text.Json;
using AiEng.Shared;

namespace AiEng.Evaluation;

/// <summary>
/// An evaluation data set: an ordered list of <see cref="EvaluationCase"/>s with unique ids. Load one from JSON lines
/// (<see cref="LoadJsonlAsync"/>) or from a BEIR directory (<see cref="LoadBeirAsync"/>).
/// </summary>
/// <remarks>
/// A JSON-lines data set has one object per line with the properties <c>input</c> (required string), <c>id</c>
/// (string; default <c>line-N</c>), <c>reference</c> (string), <c>contexts</c> (array of strings), <c>relevance</c>
/// (object of document id to integer grade) and <c>metadata</c> (object; values kept as text). Blank lines are skipped.
/// Any other property, a wrong type or a duplicate id stops loading with an <see cref="EvaluationDataException"/> that
/// names the file and line, so a run never starts on a broken file.
/// </remarks>
public sealed class EvaluationDataset
{
    private static readonly string[] KnownProperties = ["id", "input", "reference", "contexts", "relevance", "metadata"];

    /// <summary>Initializes a new instance of the <see cref="EvaluationDataset"/> class.</summary>
    /// <param name="name">The data set name, used in reports.</param>
    /// <param name="cases">The cases; ids must be unique.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or two cases share an id.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="cases"/> is <see langword="null"/>.</exception>
    public EvaluationDataset(string name, IEnumerable<EvaluationCase> cases)
    {
        Name = Throw.IfNullOrWhitespace(name);
        Cases = Throw.IfNull(cases).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Cases)
        {
            if (!seen.Add(Throw.IfNull(item, nameof(cases)).Id))
            {
                throw new ArgumentException($"Two cases have the id '{item.Id}'; case ids must be unique.", nameof(cases));
            }
        }
    }

    /// <summary>Gets the data set name.</summary>
    public string Name { get; }

    /// <summary>Gets the cases in file order.</summary>
    public IReadOnlyList<EvaluationCase> Cases { get; }

    /// <summary>Loads a JSON-lines data set, validating every line before returning.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The data set, named after the file.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="EvaluationDataException">A line is malformed; the message names file and line.</exception>
    public static async Task<EvaluationDataset> LoadJsonlAsync(string path, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        return await ParseJsonlAsync(reader, path, Path.GetFileNameWithoutExtension(path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parses a JSON-lines data set from a reader.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="sourceName">The file name used in error messages.</param>
    /// <param name="name">The data set name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="EvaluationDataException">A line is malformed; the message names source and line.</exception>
    public static async Task<EvaluationDataset> ParseJsonlAsync(TextReader reader, string sourceName, string name, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(reader);
        Throw.IfNullOrWhitespace(sourceName);
        var cases = new List<EvaluationCase>();
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var item = ParseLine(line, sourceName, lineNumber);
            if (lines.TryGetValue(item.Id, out int first))
            {
                throw new EvaluationDataException(sourceName, lineNumber, $"the id '{item.Id}' was already used on line {first}; case ids must be unique.");
            }

            lines[item.Id] = lineNumber;
            cases.Add(item);
        }

        if (cases.Count == 0)
        {
            throw new EvaluationDataException(sourceName, 0, "the data set has no cases.");
        }

        return new EvaluationDataset(name, cases);
    }

    /// <summary>
    /// Loads the queries of a BEIR directory (<c>queries.jsonl</c> with <c>_id</c> and <c>text</c>, and
    /// <c>qrels/&lt;split&gt;.tsv</c>) as retrieval cases: input = query text, relevance = the query's qrels. Only queries
    /// with judgements are kept, as BEIR evaluates them.
    /// </summary>
    /// <param name="directory">The BEIR data set directory.</param>
    /// <param name="split">The qrels split, for example <c>test</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The data set, named after the directory.</returns>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="EvaluationDataException">A line is malformed; the message names file and line.</exception>
    public static async Task<EvaluationDataset> LoadBeirAsync(string directory, string split = "test", CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(directory);
        Throw.IfNullOrWhitespace(split);
        string qrelsPath = Path.Combine(directory, "qrels", split + ".tsv");
        var qrels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (string line in await File.ReadAllLinesAsync(qrelsPath, cancellationToken).ConfigureAwait(false))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("query-id", StringComparison.Ordinal)))
            {
                continue;
            }

            string[] fields = line.Split('\t');
            if (fields.Length < 3 || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int grade))
            {
                throw new EvaluationDataException(qrelsPath, lineNumber, $"expected 'query-id<TAB>corpus-id<TAB>integer score' but found '{line}'.");
            }

            if (!qrels.TryGetValue(fields[0], out var judged))
            {
                qrels[fields[0]] = judged = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            judged[fields[1]] = grade;
        }

        string queriesPath = Path.Combine(directory, "queries.jsonl");
        var cases = new List<EvaluationCase>();
        lineNumber = 0;
        foreach (string line in await File.ReadAllLinesAsync(queriesPath, cancellationToken).ConfigureAwait(false))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var document = ParseObject(line, queriesPath, lineNumber);
            string id = RequiredString(document.RootElement, "_id", queriesPath, lineNumber);
            if (qrels.TryGetValue(id, out var judged))
            {
                cases.Add(new EvaluationCase(id, RequiredString(document.RootElement, "text", queriesPath, lineNumber)) { Relevance = judged });
            }
        }

        return new EvaluationDataset(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))), cases);
    }

    private static EvaluationCase ParseLine(string line, string source, int lineNumber)
    {
        using var document = ParseObject(line, source, lineNumber);
        var root = document.RootElement;
        foreach (var property in root.EnumerateObject())
        {
            if (!KnownProperties.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new EvaluationDataException(source, lineNumber, $"unknown property '{property.Name}'; expected {string.Join(", ", KnownProperties)}.");
            }
        }

        string input = RequiredString(root, "input", source, lineNumber);
        string id = root.TryGetProperty("id", out var idElement)
            ? idElement.ValueKind switch
            {
                JsonValueKind.String when !string.IsNullOrWhiteSpace(idElement.GetString()) => idElement.GetString()!,
                JsonValueKind.Number => idElement.GetRawText(),
                _ => throw new EvaluationDataException(source, lineNumber, "'id' must be a non-empty string or a number."),
            }
            : "line-" + lineNumber.ToString(CultureInfo.InvariantCulture);

        string? reference = null;
        if (root.TryGetProperty("reference", out var referenceElement) && referenceElement.ValueKind != JsonValueKind.Null)
        {
            reference = referenceElement.ValueKind == JsonValueKind.String
                ? referenceElement.GetString()
                : throw new EvaluationDataException(source, lineNumber, "'reference' must be a string.");
        }

        var contexts = new List<string>();
        if (root.TryGetProperty("contexts", out var contextsElement))
        {
            if (contextsElement.ValueKind != JsonValueKind.Array || contextsElement.EnumerateArray().Any(static c => c.ValueKind != JsonValueKind.String))
            {
                throw new EvaluationDataException(source, lineNumber, "'contexts' must be an array of strings.");
            }

            contexts.AddRange(contextsElement.EnumerateArray().Select(static c => c.GetString()!));
        }

        Dictionary<string, int>? relevance = null;
        if (root.TryGetProperty("relevance", out var relevanceElement))
        {
            if (relevanceElement.ValueKind != JsonValueKind.Object)
            {
                throw new EvaluationDataException(source, lineNumber, "'relevance' must be an object of document id to integer grade, for example {\"doc-1\": 1}.");
            }

            relevance = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var grade in relevanceElement.EnumerateObject())
            {
                relevance[grade.Name] = grade.Value.ValueKind == JsonValueKind.Number && grade.Value.TryGetInt32(out int value)
                    ? value
                    : throw new EvaluationDataException(source, lineNumber, $"the relevance grade of '{grade.Name}' must be an integer.");
            }
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("metadata", out var metadataElement))
        {
            if (metadataElement.ValueKind != JsonValueKind.Object)
            {
                throw new EvaluationDataException(source, lineNumber, "'metadata' must be an object.");
            }

            foreach (var entry in metadataElement.EnumerateObject())
            {
                metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
            }
        }

        return new EvaluationCase(id, input) { Reference = reference, Contexts = contexts, Relevance = relevance, Metadata = metadata };
    }

    private static JsonDocument ParseObject(string line, string source, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new EvaluationDataException(source, lineNumber, $"not valid JSON ({ex.Message}); each line must be one JSON object.", ex);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new EvaluationDataException(source, lineNumber, "each line must be a JSON object.");
        }

        return document;
    }

    private static string RequiredString(JsonElement root, string property, string source, int lineNumber) =>
        root.TryGetProperty(property, out var element) && element.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(element.GetString())
            ? element.GetString()!
            : throw new EvaluationDataException(source, lineNumber, $"'{property}' is required and must be a non-empty string.");
}
